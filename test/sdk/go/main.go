// SDK smoke test (Go): with nothing but the generated client, against the proxy at $KAFKA_REST_URL, produces one
// record to the existing topic $KAFKA_REST_TOPIC and reads it back. Exits 1 when the record read is not the one
// produced.
package main

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"

	kafkarest "example.com/kafka-rest-ts/sdk-go"
)

const value = "hello-go"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func requiredEnv(name string) (string, error) {
	v := os.Getenv(name)
	if v == "" {
		return "", fmt.Errorf("%s is not set", name)
	}
	return v, nil
}

// The v3 operations are grouped by resource: clusters, records, ... (one service each).
func newAPI() (*kafkarest.APIClient, error) {
	baseURL, err := requiredEnv("KAFKA_REST_URL")
	if err != nil {
		return nil, err
	}
	cfg := kafkarest.NewConfiguration()
	cfg.Servers = kafkarest.ServerConfigurations{{URL: baseURL}}
	return kafkarest.NewAPIClient(cfg), nil
}

func run() error {
	topic, err := requiredEnv("KAFKA_REST_TOPIC")
	if err != nil {
		return err
	}
	api, err := newAPI()
	if err != nil {
		return err
	}
	ctx := context.Background()

	clusters, _, err := api.ClustersV3API.V3ListClusters(ctx).Execute()
	if err != nil {
		return fmt.Errorf("list clusters: %w", err)
	}
	if len(clusters.Data) == 0 {
		return errors.New("the proxy lists no cluster")
	}
	clusterID := clusters.Data[0].ClusterId

	data := kafkarest.NewProduceData()
	data.SetType("STRING")
	data.SetData(value)
	record := kafkarest.NewProduceRecord()
	record.SetValue(*data)
	report, _, err := api.RecordsV3API.V3ProduceRecords(ctx, clusterID, topic).ProduceRecord(*record).Execute()
	if err != nil {
		return fmt.Errorf("produce: %w", err)
	}
	offset, hasOffset := report.GetOffsetOk()
	partition, hasPartition := report.GetPartitionIdOk()
	if !hasOffset || !hasPartition {
		return fmt.Errorf("produce failed: error_code %d", report.ErrorCode)
	}
	fmt.Printf("produced offset=%d value=%s\n", *offset, value)

	records, _, err := api.RecordsV3API.V3ReadPartitionRecords(ctx, clusterID, topic, *partition).Offset(*offset).MaxRecords(1).Execute()
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	if len(records.Data) == 0 || records.Data[0].Value.Get() == nil {
		return fmt.Errorf("no record with a value at offset %d", *offset)
	}
	read := records.Data[0]
	bytes, err := base64.StdEncoding.DecodeString(read.Value.Get().Data)
	if err != nil {
		return fmt.Errorf("value is not base64: %w", err)
	}
	fmt.Printf("read offset=%d value=%s\n", read.Offset, bytes)

	if read.Offset != *offset || string(bytes) != value {
		return errors.New("the record read back is not the one produced")
	}
	return nil
}
