import { describe, expect, it } from 'vitest';
import { avroCodec } from '../../src/core/schemas/avro-codec.js';
import { jsonSchemaCodec } from '../../src/core/schemas/json-schema-codec.js';
import { protobufCodec } from '../../src/core/schemas/protobuf-codec.js';
import { SchemaDataError } from '../../src/core/schemas/schema-codec.js';
import type { SchemaCodec } from '../../src/core/schemas/schema-codec.js';
import { AVRO_USER, AVRO_VALUE, JSON_ORDER, PROTO_ORDER, PROTO_VALUE } from '../integration/support/schema-fixtures.js';

const roundTrip = (codec: SchemaCodec, value: unknown): unknown => {
  const { payload, messageIndexes } = codec.encode(value);
  return codec.decode(payload, messageIndexes);
};
const invalidSchema = expect.objectContaining({ kind: 'invalid_schema' });

describe('Avro (avsc), in Avro JSON encoding', () => {
  const codec = avroCodec(AVRO_USER);

  it('round-trips unions, maps, nested records and logical types as Confluent writes them', () => {
    expect(roundTrip(codec, AVRO_VALUE)).toEqual(AVRO_VALUE);
    expect(roundTrip(codec, { ...AVRO_VALUE, email: null, address: null })).toEqual({ ...AVRO_VALUE, email: null, address: null });
    expect(codec.recordName).toBe('example.avro.User');
    expect(avroCodec('"string"').recordName).toBeUndefined();
  });

  it('refuses values that do not fit: an unwrapped union, a missing field, a wrong type', () => {
    for (const value of [{ ...AVRO_VALUE, email: 'x@y' }, { name: 'only' }, { ...AVRO_VALUE, created: 'yesterday' }, 'text']) {
      expect(() => codec.encode(value)).toThrow(SchemaDataError);
    }
  });

  it('refuses schemas that do not parse (42205)', () => {
    for (const text of ['{"type":"recrod"}', 'not json', '{"type":"record","name":"R","fields":[{"name":"a","type":"Nope"}]}']) {
      expect(() => avroCodec(text)).toThrow(invalidSchema);
    }
  });
});

describe('JSON Schema (Ajv)', () => {
  it('writes the JSON text of values the schema admits, and refuses the others with their path', () => {
    const codec = jsonSchemaCodec(JSON_ORDER);
    expect(codec.encode({ id: 1, items: [] }).payload.toString()).toBe('{"id":1,"items":[]}');
    expect(() => codec.encode({ id: 1, items: [2] })).toThrow(expect.objectContaining({ message: expect.stringContaining('/items/0') }));
    expect(() => codec.encode({ id: 1, items: [], extra: true })).toThrow(SchemaDataError);
    expect(codec.recordName).toBe('Order');
  });

  it('picks the draft from $schema (2020-12 prefixItems, draft-04 read as draft-07) and takes boolean schemas', () => {
    const tuple = jsonSchemaCodec(JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', prefixItems: [{ type: 'integer' }], items: false }));
    expect(() => tuple.encode([1])).not.toThrow();
    expect(() => tuple.encode([1, 2])).toThrow(SchemaDataError);
    const old = jsonSchemaCodec(JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', type: 'string' }));
    expect(() => old.encode(3)).toThrow(SchemaDataError);
    expect(() => jsonSchemaCodec('true').encode({ any: 'thing' })).not.toThrow();
    expect(() => jsonSchemaCodec('false').encode(1)).toThrow(SchemaDataError);
  });

  it('refuses schemas that do not parse (42205)', () => {
    for (const text of ['{"type":12}', '[1]', '{']) expect(() => jsonSchemaCodec(text)).toThrow(invalidSchema);
  });
});

describe('Protobuf (protobufjs), in the proto3 JSON mapping', () => {
  const codec = protobufCodec(PROTO_ORDER);

  it('round-trips the first message with JSON names, defaults included, int64 as exact strings', () => {
    expect(roundTrip(codec, PROTO_VALUE)).toEqual(PROTO_VALUE);
    expect(roundTrip(codec, { order_id: 'x', quantities: { big: '9007199254740993' } })).toEqual({ orderId: 'x', quantities: { big: '9007199254740993' }, lines: [], status: 'NEW', token: '' });
    expect(codec.encode({}).messageIndexes).toEqual([0]);
    expect(codec.recordName).toBe('example.proto.Order');
  });

  it('decodes any message of the file by its message indexes, a message nested after a map field included', () => {
    const line = protobufCodec('syntax = "proto3"; message Line { string sku = 1; int32 count = 2; }').encode({ sku: 's', count: 2 }).payload;
    expect(codec.decode(line, [0, 1])).toEqual({ sku: 's', count: 2 });
    expect(() => codec.decode(line, [0, 0])).toThrow(SchemaDataError); // the map entry type
    expect(() => codec.decode(line, [3])).toThrow(SchemaDataError);
  });

  it('refuses JSON that protobufjs would silently coerce', () => {
    const misfits = [{ orderId: 5 }, { lines: [{ count: 'two' }] }, { quantities: { a: 1.5 } }, { status: 'SHIPPED' }, { nope: 1 }, { token: '***' }, { lines: {} }];
    for (const value of misfits) expect(() => codec.encode(value)).toThrow(SchemaDataError);
  });

  it('refuses schemas that do not parse, import others, or declare no message (42205)', () => {
    for (const text of ['message {', 'syntax = "proto3"; import "other.proto"; message A { other.B b = 1; }', 'syntax = "proto3"; enum E { A = 0; }']) {
      expect(() => protobufCodec(text)).toThrow(invalidSchema);
    }
  });
});
