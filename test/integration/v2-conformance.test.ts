/**
 * Confluent v2 conformance (issue 14), the request and response side: the media types every consumer resource
 * takes, the commit answer, a topic's configs, Confluent's statuses for malformed produce bodies, and one content
 * negotiation rule. A kafkajs admin client is the witness of what reached Kafka (and what did not).
 */
import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';
import { BINARY_V2, EMBEDDED_V2, JSON_V2, V2, v2Call } from './support/v2-http.js';
import type { CallInit, Reply } from './support/v2-http.js';

/** Every media type a consumer resource takes: the five embedded ones, the v2 one, and plain JSON. */
const CONSUMER_TYPES = [...EMBEDDED_V2, V2, 'application/json'];

describe('Confluent v2 conformance: requests and answers', () => {
  let t: ProxyUnderTest;
  let admin: Admin;
  const call = (path: string, init: CallInit = {}): Promise<Reply> => v2Call(t.baseUrl, path, init);
  const produceBinary = (topic: string, values: string[]) =>
    call(`/topics/${topic}`, { type: BINARY_V2, body: { records: values.map((v) => ({ value: Buffer.from(v).toString('base64'), partition: 0 })) } });
  const endOffset = async (topic: string): Promise<string> => (await admin.fetchTopicOffsets(topic)).find((o) => o.partition === 0)!.high;

  beforeAll(async () => {
    t = await startProxyUnderTest();
    admin = new Kafka({ brokers: [t.bootstrapServers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin.disconnect();
    await t.proxy.stop();
  });

  it('1: every consumer resource takes the embedded types, the v2 type and application/json, and answers in the v2 type', async () => {
    const topic = uniqueTopic('media-types');
    await produceBinary(topic, CONSUMER_TYPES.map((_, i) => `record-${i}`));
    for (const [i, type] of CONSUMER_TYPES.entries()) {
      const group = uniqueTopic('media-group');
      const base = `/consumers/${group}/instances/m`;
      const partition = { partitions: [{ topic, partition: 0 }] };
      const created = await call(`/consumers/${group}`, { type, accept: type, body: { name: 'm', format: 'binary', 'auto.commit.enable': 'false' } });
      expect(created, type).toEqual({ status: 200, type: V2, body: { instance_id: 'm', base_uri: `${t.baseUrl}${base}` } });
      expect((await call(`${base}/assignments`, { type, accept: type, body: partition })).status, type).toBe(204);
      expect(await call(`${base}/assignments`, { type, accept: type })).toEqual({ status: 200, type: V2, body: partition });
      expect((await call(`${base}/positions/end`, { type, body: partition })).status, type).toBe(204);
      expect((await call(`${base}/positions/beginning`, { type, body: partition })).status, type).toBe(204);
      expect((await call(`${base}/positions`, { type, body: { offsets: [{ topic, partition: 0, offset: i }] } })).status, type).toBe(204);
      const records = await call(`${base}/records?timeout=3000&max_bytes=8`, { accept: BINARY_V2 });
      expect((records.body as { offset: number; value: string }[]).map((r) => [r.offset, Buffer.from(r.value, 'base64').toString()]), type).toEqual([[i, `record-${i}`]]);
      expect(await call(`${base}/offsets`, { type, accept: type, body: { offsets: [{ topic, partition: 0, offset: i }] } })).toEqual({ status: 200, type: V2, body: [] });
      const committed = await call(`${base}/offsets`, { method: 'GET', type, accept: type, body: partition });
      expect(committed, type).toEqual({ status: 200, type: V2, body: { offsets: [{ topic, partition: 0, offset: i + 1, metadata: '' }] } });
      expect((await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0]!.partitions[0]!.offset, type).toBe(String(i + 1));
      // An empty body with the same Content-Type: positions needs one (422, as Confluent's @NotNull), a commit
      // without one commits what was returned, and the instance DELETE takes none.
      expect((await call(`${base}/positions`, { method: 'POST', type })).body, type).toEqual({ error_code: 42206, message: 'Request body is empty.' });
      expect(await call(`${base}/offsets`, { method: 'POST', type })).toEqual({ status: 200, type: V2, body: [] });
      expect((await call(base, { method: 'DELETE', type, accept: type })).status, type).toBe(204);
      expect((await call(`${base}/assignments`, { accept: type })).body, type).toMatchObject({ error_code: 40403 });
    }
  });

  it('1: subscription calls take every consumer media type too', async () => {
    const topic = uniqueTopic('media-sub');
    await produceBinary(topic, ['x']);
    for (const type of CONSUMER_TYPES) {
      const group = uniqueTopic('media-sub-group');
      const base = `/consumers/${group}/instances/s`;
      expect((await call(`/consumers/${group}`, { type, body: { name: 's' } })).status, type).toBe(200);
      expect((await call(`${base}/subscription`, { type, accept: type, body: { topics: [topic] } })).status, type).toBe(204);
      expect(await call(`${base}/subscription`, { accept: type })).toEqual({ status: 200, type: V2, body: { topics: [topic] } });
      expect((await call(`${base}/subscription`, { method: 'DELETE', type, accept: type })).status, type).toBe(204);
      expect((await call(base, { method: 'DELETE', type })).status, type).toBe(204);
    }
    // Creating with an embedded type and no body at all: the defaults (binary), as Confluent.
    const group = uniqueTopic('media-empty');
    const created = await call(`/consumers/${group}`, { method: 'POST', type: JSON_V2 });
    expect(created.status).toBe(200);
    expect(await call(`/consumers/${group}/instances/${(created.body as { instance_id: string }).instance_id}`, { method: 'DELETE', type: JSON_V2 })).toMatchObject({ status: 204 });
    // Other media types are still refused.
    expect((await call(`/consumers/${group}`, { type: 'text/plain', body: '{}' })).body).toMatchObject({ error_code: 415 });
  });

  it('4: a commit answers 200 with a JSON body in the v2 media type; kafkajs sees the committed offset', async () => {
    const topic = uniqueTopic('commit-answer');
    const group = uniqueTopic('commit-answer-group');
    await produceBinary(topic, ['a', 'b', 'c']);
    await call(`/consumers/${group}`, { type: V2, body: { name: 'c', 'auto.commit.enable': 'false' } });
    const base = `/consumers/${group}/instances/c`;
    await call(`${base}/assignments`, { type: V2, body: { partitions: [{ topic, partition: 0 }] } });
    const response = await fetch(`${t.baseUrl}${base}/offsets`, {
      method: 'POST',
      headers: { 'content-type': V2, accept: V2 },
      body: JSON.stringify({ offsets: [{ topic, partition: 0, offset: 1 }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(V2);
    expect(await response.json()).toEqual([]);
    expect(await admin.fetchOffsets({ groupId: group, topics: [topic] })).toEqual([{ topic, partitions: [{ partition: 0, offset: '2', metadata: null }] }]);
    await call(base, { method: 'DELETE' });
  });

  it('7: GET /topics/{t} lists every config with its value, defaults included, as Kafka describes them', async () => {
    const topic = uniqueTopic('configs');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '3600000' }] }] });
    const reply = await call(`/topics/${topic}`);
    expect(reply.status).toBe(200);
    const { configs } = reply.body as { configs: Record<string, string | null> };
    const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic }] });
    const expected = Object.fromEntries(described.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
    expect(Object.keys(expected).length).toBeGreaterThan(20);
    expect(configs).toEqual(expected);
    expect(configs['retention.ms']).toBe('3600000');
    expect(configs['cleanup.policy']).toBe('delete');
  });

  it('8: malformed produce bodies are 400/400 (Confluent’s JSON mapping error), empty records 422/42206; nothing is written', async () => {
    const topic = uniqueTopic('malformed');
    await produceBinary(topic, ['first']);
    const expectError = (reply: Reply, status: number, code: number): void => expect(reply).toEqual({ status, type: V2, body: { error_code: code, message: expect.any(String) } });
    expectError(await call(`/topics/${topic}`, { type: BINARY_V2, body: { records: 'not a list' } }), 400, 400);
    expectError(await call(`/topics/${topic}`, { type: JSON_V2, body: { records: ['a record that is a string'] } }), 400, 400);
    expectError(await call(`/topics/${topic}`, { type: BINARY_V2, body: { records: [{ value: { an: 'object' } }] } }), 400, 400);
    expectError(await call(`/topics/${topic}/partitions/0`, { type: BINARY_V2, body: { records: [{ key: 5 }] } }), 400, 400);
    expectError(await call(`/topics/${topic}`, { type: BINARY_V2, body: { records: [] } }), 422, 42206);
    // Schema formats: the missing schema comes first (42201 keys, 42202 values), before the absent registry (42206).
    const avro = 'application/vnd.kafka.avro.v2+json';
    expectError(await call(`/topics/${topic}`, { type: avro, body: { records: [{ value: { name: 'x' } }] } }), 422, 42202);
    expectError(await call(`/topics/${topic}`, { type: 'application/vnd.kafka.protobuf.v2+json', body: { value_schema: 'syntax = "proto3";', records: [{ key: 1, value: {} }] } }), 422, 42201);
    expectError(await call(`/topics/${topic}`, { type: avro, body: { key_schema_id: 1, value_schema_id: 2, records: [{ key: 1, value: 2 }] } }), 422, 42206);
    expect(await endOffset(topic)).toBe('1');
  });

  it('9: one Accept rule across v2: 406 for what it cannot serve; */*, application/json and the v2 types are served', async () => {
    for (const accept of [undefined, '*/*', 'application/json', V2, JSON_V2, 'text/html, application/*;q=0.5', 'application/vnd.kafka+json']) {
      expect(await call('/brokers', accept === undefined ? {} : { accept })).toEqual({ status: 200, type: V2, body: { brokers: [expect.any(Number)] } });
    }
    for (const accept of ['application/octet-stream', 'bar/json', 'text/html', `${V2};q=0`]) {
      expect(await call('/brokers', { accept }), accept).toEqual({ status: 406, type: V2, body: { error_code: 406, message: expect.stringContaining('Not Acceptable') } });
    }
    const topic = uniqueTopic('negotiation');
    await produceBinary(topic, ['one']);
    expect((await call(`/topics/${topic}`, { accept: 'text/plain' })).status).toBe(406);
    expect((await call(`/consumers/${uniqueTopic('g')}`, { type: V2, accept: 'text/plain', body: {} })).status).toBe(406);
    const refusedProduce = await call(`/topics/${topic}`, { type: BINARY_V2, accept: 'application/xml', body: { records: [{ value: 'dHdv' }] } });
    expect(refusedProduce.status).toBe(406);
    expect(await endOffset(topic)).toBe('1');
  });

  it('9: a partition that is not an integer names no resource: 404', async () => {
    const topic = uniqueTopic('not-integer');
    await produceBinary(topic, ['one']);
    for (const path of [`/topics/${topic}/partitions/foo/offsets`, `/topics/${topic}/partitions/foo`, `/topics/${topic}/partitions/1.5`]) {
      expect(await call(path), path).toEqual({ status: 404, type: V2, body: { error_code: 404, message: expect.stringContaining('Not Found') } });
    }
    const produced = await call(`/topics/${topic}/partitions/foo`, { type: BINARY_V2, body: { records: [{ value: 'dHdv' }] } });
    expect(produced).toMatchObject({ status: 404, body: { error_code: 404 } });
    expect(await endOffset(topic)).toBe('1');
    // A partition that is an integer but does not exist is Confluent's 40402, as before.
    expect((await call(`/topics/${topic}/partitions/7`)).body).toMatchObject({ error_code: 40402 });
  });
});
