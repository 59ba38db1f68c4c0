/**
 * The schema formats against the run's real Schema Registry (Apicurio Registry, Confluent-compatible API): v2
 * produce and consume in avro, jsonschema and protobuf, v3 produce by inline schema, id, subject and version, the
 * subject name strategies, and Confluent's error codes — with kcat reading the bytes that were written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';
import { consumeV2, kcatValues, mediaType, reports, send, V2 } from './support/schema-client.js';
import { AVRO_KEY_SCHEMA, AVRO_USER, AVRO_VALUE, JSON_ORDER, JSON_VALUE, PROTO_ORDER, PROTO_VALUE } from './support/schema-fixtures.js';

interface ProduceBody {
  offsets: { partition: number | null; offset: number | null; error_code: number | null; error: string | null }[];
  key_schema_id: number | null;
  value_schema_id: number | null;
}

describe('schema formats with a Schema Registry', () => {
  let t: ProxyUnderTest;
  const registryUrl = inject('schemaRegistryUrl');
  const produceV2 = (topic: string, format: string, body: unknown) => send(t.baseUrl, `/topics/${topic}`, { type: mediaType(format), accept: V2, body });
  const v3 = (topic: string, suffix: string, body: string) =>
    fetch(`${t.baseUrl}/v3/clusters/${t.clusterId}/topics/${topic}/records${suffix}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const createTopic = async (topic: string) => {
    const r = await send(t.baseUrl, `/v3/clusters/${t.clusterId}/topics`, { type: 'application/json', body: { topic_name: topic, partitions_count: 1 } });
    expect(r.status).toBe(201);
  };

  beforeAll(async () => {
    t = await startProxyUnderTest({ 'schema.registry.url': registryUrl });
  });
  afterAll(() => t.proxy.stop());

  it('v2 avro: value_schema and key_schema registered under <topic>-value/-key, ids answered, read back as the same JSON', async () => {
    const topic = uniqueTopic('avro');
    const produced = await produceV2(topic, 'avro', { key_schema: AVRO_KEY_SCHEMA, value_schema: AVRO_USER, records: [{ key: 'ada', value: AVRO_VALUE }, { value: null }] });
    expect(produced.status).toBe(200);
    const body = produced.body as ProduceBody;
    expect(body.offsets).toEqual([{ partition: 0, offset: 0, error_code: null, error: null }, { partition: 0, offset: 1, error_code: null, error: null }]);
    expect(body.key_schema_id).toEqual(expect.any(Number));
    expect(body.value_schema_id).toEqual(expect.any(Number));
    // The registry holds them under TopicNameStrategy subjects, with the ids answered.
    const latest = (await (await fetch(`${registryUrl}/subjects/${topic}-value/versions/latest`)).json()) as { id: number };
    expect(latest.id).toBe(body.value_schema_id);
    // kcat: magic byte 0, the 4-byte id, then the Avro payload; the tombstone is empty.
    const [first] = kcatValues(t.bootstrapServers, topic);
    expect(first![0]).toBe(0);
    expect(first!.readUInt32BE(1)).toBe(body.value_schema_id);

    const consumed = await consumeV2(t.baseUrl, topic, 'avro', 2);
    expect(consumed.status).toBe(200);
    expect(consumed.body).toEqual([
      { topic, key: 'ada', value: AVRO_VALUE, partition: 0, offset: 0, timestamp: expect.any(Number), headers: [] },
      { topic, key: null, value: null, partition: 0, offset: 1, timestamp: expect.any(Number), headers: [] },
    ]);
    // The same schema again (by id this time) writes with the same id.
    const again = await produceV2(topic, 'avro', { value_schema_id: body.value_schema_id, records: [{ value: AVRO_VALUE }] });
    expect(again.body).toMatchObject({ value_schema_id: body.value_schema_id, key_schema_id: null });
  });

  it('v2 jsonschema and protobuf (a map, a message nested after it, enums, int64, bytes) round-trip as JSON', async () => {
    const jsonTopic = uniqueTopic('jsonschema');
    const json = await produceV2(jsonTopic, 'jsonschema', { value_schema: JSON_ORDER, records: [{ value: JSON_VALUE }] });
    expect(json.status).toBe(200);
    expect((await consumeV2(t.baseUrl, jsonTopic, 'jsonschema', 1)).body).toEqual([expect.objectContaining({ value: JSON_VALUE, offset: 0 })]);

    const protoTopic = uniqueTopic('protobuf');
    // Declared field names are accepted as well as JSON names; the answer uses JSON names and includes defaults.
    const input = { order_id: 'o-1', quantities: { apple: 3, pear: '12' }, lines: [{ sku: 'apple', count: 3 }], status: 'PAID', main_line: { sku: 'pear', count: 12 }, token: 'AAEC' };
    const proto = await produceV2(protoTopic, 'protobuf', { value_schema: PROTO_ORDER, records: [{ value: input }, { value: { orderId: 'o-2' } }] });
    expect(proto.status).toBe(200);
    const bytes = kcatValues(t.bootstrapServers, protoTopic);
    // Header, then message indexes [0] written as the single byte 0, then the payload.
    expect([bytes[0]![0], bytes[0]!.readUInt32BE(1), bytes[0]![5]]).toEqual([0, (proto.body as ProduceBody).value_schema_id, 0]);
    const consumed = await consumeV2(t.baseUrl, protoTopic, 'protobuf', 2);
    expect((consumed.body as { value: unknown }[]).map((r) => r.value)).toEqual([
      PROTO_VALUE,
      { orderId: 'o-2', quantities: {}, lines: [], status: 'NEW', token: '' },
    ]);
  });

  it('v3 produce by inline schema, by schema_id, by subject and version, and by subject alone (its latest version)', async () => {
    const topic = uniqueTopic('v3-avro');
    await createTopic(topic);
    const inline = reports(await (await v3(topic, '', JSON.stringify({ value: { type: 'AVRO', schema: AVRO_USER, data: AVRO_VALUE } }))).text());
    expect(inline).toEqual([expect.objectContaining({ error_code: 200, offset: 0, value: { type: 'AVRO', subject: `${topic}-value`, schema_id: expect.any(Number), schema_version: 1, size: expect.any(Number) } })]);
    const id = (inline[0]!['value'] as { schema_id: number }).schema_id;
    const stream = [
      { value: { schema_id: id, data: { ...AVRO_VALUE, name: 'by-id' } } },
      { value: { subject: `${topic}-value`, schema_version: 1, data: { ...AVRO_VALUE, name: 'by-version' } } },
      { value: { type: 'AVRO', data: { ...AVRO_VALUE, name: 'latest' } } },
      { value: { subject: `${topic}-value`, data: { ...AVRO_VALUE, name: 'subject-latest' } } },
    ].map((r) => JSON.stringify(r)).join('\n');
    const streamed = reports(await (await v3(topic, '', stream)).text());
    expect(streamed.map((r) => [r['error_code'], r['offset'], (r['value'] as { schema_id: number }).schema_id])).toEqual([
      [200, 1, id],
      [200, 2, id],
      [200, 3, id],
      [200, 4, id],
    ]);
    const batch = await v3(topic, ':batch', JSON.stringify({ entries: [{ id: 'a', value: { schema_id: id, data: AVRO_VALUE } }, { id: 'b', value: { schema_id: id, data: { name: 1 } } }] }));
    const batchBody = (await batch.json()) as { successes: { id: string; offset: number }[]; failures: { id: string; error_code: number }[] };
    expect(batch.status).toBe(207);
    expect(batchBody.successes.map((s) => [s.id, s.offset])).toEqual([['a', 5]]);
    expect(batchBody.failures).toEqual([{ id: 'b', error_code: 42207, message: expect.stringContaining('does not fit') }]);
    const names = ((await consumeV2(t.baseUrl, topic, 'avro', 6)).body as { value: { name: string } }[]).map((r) => r.value.name);
    expect(names).toEqual(['Ada', 'by-id', 'by-version', 'latest', 'subject-latest', 'Ada']);
  });

  it('v3 subject name strategies: RECORD_NAME and TOPIC_RECORD_NAME subjects come from the schema', async () => {
    const topic = uniqueTopic('v3-strategy');
    await createTopic(topic);
    const lines = [
      { value: { type: 'PROTOBUF', schema: PROTO_ORDER, subject_name_strategy: 'RECORD_NAME', data: PROTO_VALUE } },
      { value: { type: 'JSONSCHEMA', schema: JSON_ORDER, subject_name_strategy: 'TOPIC_RECORD_NAME', data: JSON_VALUE } },
      { value: { type: 'AVRO', subject_name_strategy: 'RECORD_NAME', data: AVRO_VALUE } },
    ];
    const r = reports(await (await v3(topic, '', lines.map((l) => JSON.stringify(l)).join('\n'))).text());
    expect(r[0]).toMatchObject({ error_code: 200, value: { type: 'PROTOBUF', subject: 'example.proto.Order' } });
    expect(r[1]).toMatchObject({ error_code: 200, value: { type: 'JSONSCHEMA', subject: `${topic}-Order` } });
    expect(r[2]).toEqual({ error_code: 400, message: expect.stringContaining('RECORD_NAME') });
  });

  it('a value that does not fit: 422/42207 and nothing written (kcat count unchanged); Confluent codes for the rest', async () => {
    const topic = uniqueTopic('reject');
    expect((await produceV2(topic, 'avro', { value_schema: AVRO_USER, records: [{ value: AVRO_VALUE }] })).status).toBe(200);
    const before = kcatValues(t.bootstrapServers, topic).length;
    const misfit = await produceV2(topic, 'avro', { value_schema: AVRO_USER, records: [{ value: AVRO_VALUE }, { value: { ...AVRO_VALUE, email: 'not wrapped' } }] });
    expect(misfit).toEqual({ status: 422, body: { error_code: 42207, message: expect.stringContaining('records[1].value does not fit schema') } });
    expect(kcatValues(t.bootstrapServers, topic).length).toBe(before);

    const cases: [unknown, string, number][] = [
      [{ records: [{ value: 1 }] }, 'avro', 42202],
      [{ value_schema: '"int"', records: [{ key: 'k', value: 1 }] }, 'avro', 42201],
      [{ value_schema: '{"type":"recrod"}', records: [{ value: 1 }] }, 'avro', 42205],
      [{ value_schema: 'message {', records: [{ value: {} }] }, 'protobuf', 42205],
      [{ value_schema_id: 987654, records: [{ value: 1 }] }, 'avro', 42207],
      [{ value_schema: '"int"', value_schema_id: 1, records: [{ value: 1 }] }, 'avro', 400],
      [{ value_schema: JSON_ORDER, records: [{ value: { id: 'seven', items: [] } }] }, 'jsonschema', 42207],
      [{ value_schema: PROTO_ORDER, records: [{ value: { quantities: { a: 'many' } } }] }, 'protobuf', 42207],
    ];
    for (const [body, format, code] of cases) {
      const reply = await produceV2(topic, format, body);
      expect({ format, body, code: (reply.body as { error_code: number }).error_code, status: reply.status }).toEqual({ format, body, code, status: code < 1000 ? code : Math.floor(code / 100) });
    }
    expect(kcatValues(t.bootstrapServers, topic).length).toBe(before);
  });

  it('a v2 avro consumer meeting a record not in the wire format: the records before it, then 406/40601 naming it', async () => {
    const topic = uniqueTopic('not-wire');
    expect((await produceV2(topic, 'avro', { value_schema: AVRO_USER, records: [{ value: AVRO_VALUE }] })).status).toBe(200);
    expect((await send(t.baseUrl, `/topics/${topic}`, { type: mediaType('json'), body: { records: [{ value: { plain: 'json' } }] } })).status).toBe(200);
    const group = uniqueTopic('g');
    await send(t.baseUrl, `/consumers/${group}`, { type: V2, body: { name: 'c', format: 'avro', 'auto.offset.reset': 'earliest' } });
    const path = `/consumers/${group}/instances/c`;
    await send(t.baseUrl, `${path}/subscription`, { type: V2, body: { topics: [topic] } });
    let first = await send(t.baseUrl, `${path}/records?timeout=3000`, { accept: mediaType('avro') });
    while (first.status === 200 && (first.body as unknown[]).length === 0) first = await send(t.baseUrl, `${path}/records?timeout=3000`, { accept: mediaType('avro') });
    expect(first.status).toBe(200);
    expect((first.body as { offset: number }[]).map((r) => r.offset)).toEqual([0]);
    const second = await send(t.baseUrl, `${path}/records?timeout=3000`, { accept: mediaType('avro') });
    expect(second).toEqual({ status: 406, body: { error_code: 40601, message: expect.stringMatching(new RegExp(`value of the record at ${topic}/0@1 is not in the Schema Registry wire format`)) } });
    // The record stays next: asking again gives the same answer, nothing is skipped.
    expect((await send(t.baseUrl, `${path}/records?timeout=1000`, { accept: mediaType('avro') })).status).toBe(406);
    await send(t.baseUrl, path, { method: 'DELETE', type: V2 });
  });
});

describe('schema formats without a reachable Schema Registry', () => {
  it('unreachable: produce answers 503/50303 and writes nothing; no registry configured: 422/42206 naming the setting', async () => {
    const down = await startProxyUnderTest({ 'schema.registry.url': 'http://127.0.0.1:1/apis/ccompat/v7' });
    const none = await startProxyUnderTest();
    try {
      const topic = uniqueTopic('no-registry');
      const created = await send(down.baseUrl, `/v3/clusters/${down.clusterId}/topics`, { type: 'application/json', body: { topic_name: topic, partitions_count: 1 } });
      expect(created.status).toBe(201);
      const body = { value_schema: AVRO_USER, records: [{ value: AVRO_VALUE }] };
      const unreachable = await send(down.baseUrl, `/topics/${topic}`, { type: mediaType('avro'), body });
      expect(unreachable).toEqual({ status: 503, body: { error_code: 50303, message: expect.stringContaining('Schema Registry cannot be reached') } });
      const missing = await send(none.baseUrl, `/topics/${topic}`, { type: mediaType('avro'), body });
      expect(missing).toEqual({ status: 422, body: { error_code: 42206, message: expect.stringContaining('schema.registry.url') } });
      const consumer = await send(none.baseUrl, `/consumers/${uniqueTopic('g')}`, { type: V2, body: { format: 'protobuf' } });
      expect(consumer).toEqual({ status: 422, body: { error_code: 42206, message: expect.stringContaining('schema.registry.url') } });
      expect(kcatValues(down.bootstrapServers, topic)).toEqual([]);
    } finally {
      await Promise.all([down.proxy.stop(), none.proxy.stop()]);
    }
  });
});
