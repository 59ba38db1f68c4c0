// The SDK smoke program; the client is the one `npm run sdk` generates into generated/sdk/go.
module kafka-rest-ts/sdk-smoke

go 1.23

require example.com/kafka-rest-ts/sdk-go v0.0.0

require gopkg.in/validator.v2 v2.0.1 // indirect

replace example.com/kafka-rest-ts/sdk-go => ../../../generated/sdk/go
