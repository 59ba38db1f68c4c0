/**
 * An independent witness of the schema formats: Confluent's own Python client (confluent-kafka with its Schema
 * Registry serdes) decodes what the proxy wrote in avro, jsonschema and protobuf — v2, and v3 by inline schema,
 * schema id and subject — and the proxy's v2 consumers decode what that client wrote, including a Protobuf
 * message nested after a map field (message indexes [0, 1]).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';
import { ensureWitness, witness } from './support/python-witness.js';
import { consumeV2, mediaType, reports, send, V2 } from './support/schema-client.js';
import { AVRO_USER, AVRO_VALUE, JSON_ORDER, JSON_VALUE, PROTO_ORDER, PROTO_VALUE } from './support/schema-fixtures.js';

/** AVRO_VALUE as Confluent's Python deserializer (fastavro) gives it, logical types converted. */
const AVRO_AS_PYTHON_READS_IT = {
  name: 'Ada',
  email: 'ada@example.com',
  balance: '12.34',
  created: '2023-11-14T22:13:20.123000+00:00',
  id: '6e1e5a4e-4c7d-4d3e-9a2b-1f9f7b0c2e11',
  tags: { admin: 1, beta: 2 },
  address: { city: 'London' },
};

/** Each witness call starts a Python process (and protoc, for Protobuf): seconds each on a loaded machine. */
const WITNESS_TEST_TIMEOUT_MS = 180_000;

describe('the Python witness (confluent-kafka) and the proxy read each other', { timeout: WITNESS_TEST_TIMEOUT_MS }, () => {
  let t: ProxyUnderTest;
  const registry = inject('schemaRegistryUrl');
  const base = (topic: string, format: 'avro' | 'json' | 'protobuf', schema?: string) => ({ bootstrap: t.bootstrapServers, registry, topic, format, ...(schema ? { schema } : {}) });

  beforeAll(async () => {
    [t] = await Promise.all([startProxyUnderTest({ 'schema.registry.url': registry }), ensureWitness()]);
  }, 15 * 60_000);
  afterAll(() => t.proxy.stop());

  it('decodes what the proxy wrote: v2 avro, jsonschema and protobuf', async () => {
    const produce = (topic: string, format: string, body: unknown) => send(t.baseUrl, `/topics/${topic}`, { type: mediaType(format), accept: V2, body });
    const [avro, json, proto] = [uniqueTopic('w-avro'), uniqueTopic('w-json'), uniqueTopic('w-proto')];
    expect((await produce(avro, 'avro', { value_schema: AVRO_USER, records: [{ value: AVRO_VALUE }] })).status).toBe(200);
    expect((await produce(json, 'jsonschema', { value_schema: JSON_ORDER, records: [{ value: JSON_VALUE }] })).status).toBe(200);
    expect((await produce(proto, 'protobuf', { value_schema: PROTO_ORDER, records: [{ value: PROTO_VALUE }] })).status).toBe(200);
    const read = await Promise.all([
      witness('read', { ...base(avro, 'avro'), count: 1 }),
      witness('read', { ...base(json, 'json'), count: 1 }),
      witness('read', { ...base(proto, 'protobuf', PROTO_ORDER), count: 1 }),
    ]);
    expect(read).toEqual([[AVRO_AS_PYTHON_READS_IT], [JSON_VALUE], [PROTO_VALUE]]);
  });

  it('decodes what the proxy wrote through v3: by inline schema, by schema_id, by subject (latest)', async () => {
    const topic = uniqueTopic('w-v3');
    expect((await send(t.baseUrl, `/v3/clusters/${t.clusterId}/topics`, { type: 'application/json', body: { topic_name: topic, partitions_count: 1 } })).status).toBe(201);
    const post = async (record: unknown) => {
      const r = await fetch(`${t.baseUrl}/v3/clusters/${t.clusterId}/topics/${topic}/records`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(record) });
      return reports(await r.text())[0]!;
    };
    const inline = await post({ value: { type: 'AVRO', schema: AVRO_USER, data: AVRO_VALUE } });
    const id = (inline['value'] as { schema_id: number }).schema_id;
    const byId = await post({ value: { schema_id: id, data: { ...AVRO_VALUE, name: 'by-id' } } });
    const latest = await post({ value: { subject: `${topic}-value`, data: { ...AVRO_VALUE, name: 'latest' } } });
    expect([inline, byId, latest].map((r) => r['error_code'])).toEqual([200, 200, 200]);
    const names = ((await witness('read', { ...base(topic, 'avro'), count: 3 })) as { name: string }[]).map((v) => v.name);
    expect(names).toEqual(['Ada', 'by-id', 'latest']);
  });

  it("the proxy's v2 consumers decode what the witness wrote: avro, jsonschema, protobuf with a nested message", async () => {
    const [avro, json, proto] = [uniqueTopic('p-avro'), uniqueTopic('p-json'), uniqueTopic('p-proto')];
    const written = await Promise.all([witness('write', base(avro, 'avro', AVRO_USER)), witness('write', base(json, 'json', JSON_ORDER)), witness('write', base(proto, 'protobuf', PROTO_ORDER))]);
    expect(written).toEqual([[0], [0], [0, 1]]);
    const values = async (topic: string, format: string, count: number) => ((await consumeV2(t.baseUrl, topic, format, count)).body as { value: unknown }[]).map((r) => r.value);
    // 1.50 at scale 2 is the unscaled 150: bytes 0x00 0x96 (two's complement, so a leading zero byte).
    expect(await values(avro, 'avro', 1)).toEqual([
      { name: 'Grace', email: null, balance: '\u0000\u0096', created: 1704164645678, id: '0b5c8f7e-1d2a-4f3b-8c9d-0e1f2a3b4c5d', tags: { ops: 3 }, address: { 'example.avro.Address': { city: 'Paris' } } },
    ]);
    expect(await values(json, 'jsonschema', 1)).toEqual([{ id: 8, items: ['plum'], note: 'from python' }]);
    expect(await values(proto, 'protobuf', 2)).toEqual([
      { orderId: 'py-1', quantities: { kiwi: '5' }, lines: [{ sku: 'kiwi', count: 5 }], status: 'PAID', token: 'AQ==' },
      { sku: 'solo', count: 1 },
    ]);
  });
});
