/**
 * Schemas and values the schema-format tests share with the Python witness (test/witness/schema_witness.py):
 * an Avro record with logical types, a union, a map and a nested record; a JSON Schema; and a Protobuf file whose
 * nested messages are declared after a map field (whose synthetic entry type takes the first nested index).
 */
export const AVRO_USER = JSON.stringify({
  type: 'record',
  name: 'User',
  namespace: 'example.avro',
  fields: [
    { name: 'name', type: 'string' },
    { name: 'email', type: ['null', 'string'], default: null },
    { name: 'balance', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 } },
    { name: 'created', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'tags', type: { type: 'map', values: 'int' } },
    { name: 'address', type: ['null', { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string' }] }], default: null },
  ],
});

/** In Avro's JSON encoding: 12.34 at scale 2 is the unscaled 1234, bytes 0x04 0xd2. */
export const AVRO_VALUE = {
  name: 'Ada',
  email: { string: 'ada@example.com' },
  balance: '\u0004\u00d2',
  created: 1700000000123,
  id: '6e1e5a4e-4c7d-4d3e-9a2b-1f9f7b0c2e11',
  tags: { admin: 1, beta: 2 },
  address: { 'example.avro.Address': { city: 'London' } },
};

export const AVRO_KEY_SCHEMA = JSON.stringify({ type: 'string' });

export const JSON_ORDER = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Order',
  type: 'object',
  properties: { id: { type: 'integer' }, items: { type: 'array', items: { type: 'string' } }, note: { type: ['string', 'null'] } },
  required: ['id', 'items'],
  additionalProperties: false,
});

export const JSON_VALUE = { id: 7, items: ['apple', 'pear'], note: null };

export const PROTO_ORDER = `syntax = "proto3";
package example.proto;

// Order.Line and Order.Note come after a map field: protoc numbers them 1 and 2 (QuantitiesEntry is 0).
message Order {
  string order_id = 1;
  map<string, int64> quantities = 2;
  message Line {
    string sku = 1;
    int32 count = 2;
  }
  message Note {
    string text = 1;
  }
  repeated Line lines = 3;
  Status status = 4;
  enum Status {
    NEW = 0;
    PAID = 1;
  }
  Line main_line = 5;
  bytes token = 6;
}
`;

/** The proto3 JSON mapping as Confluent prints it: JSON names, int64 as strings, defaults included. */
export const PROTO_VALUE = {
  orderId: 'o-1',
  quantities: { apple: '3', pear: '12' },
  lines: [{ sku: 'apple', count: 3 }],
  status: 'PAID',
  mainLine: { sku: 'pear', count: 12 },
  token: 'AAEC',
};
