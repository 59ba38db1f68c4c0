/**
 * Confluent v2 over HTTP as its users drive it: the quickstart's JSON and binary walkthroughs, metadata, and the
 * error codes of produce and consumer calls. kcat is the independent witness of what was written.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';

const V2 = 'application/vnd.kafka.v2+json';
const JSON_V2 = 'application/vnd.kafka.json.v2+json';
const BINARY_V2 = 'application/vnd.kafka.binary.v2+json';

interface Reply {
  status: number;
  type: string | null;
  body: unknown;
}

describe('Confluent v2', () => {
  let t: ProxyUnderTest;

  async function call(path: string, init: { method?: string; type?: string; accept?: string; body?: unknown } = {}): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (init.type) headers['content-type'] = init.type;
    if (init.accept) headers['accept'] = init.accept;
    const response = await fetch(`${t.baseUrl}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), body: text ? JSON.parse(text) : undefined };
  }

  function kcat(topic: string, offset: number): string {
    return execFileSync('kcat', ['-C', '-b', t.bootstrapServers, '-t', topic, '-p', '0', '-o', String(offset), '-c', '1', '-e', '-q', '-f', '%p|%o|%k|%s\n'], {
      encoding: 'utf8',
      timeout: 20_000,
    }).trim();
  }

  beforeAll(async () => {
    t = await startProxyUnderTest();
  });
  afterAll(() => t.proxy.stop());

  it('runs the JSON walkthrough: produce, create consumer, subscribe, consume on the first call, delete', async () => {
    const topic = uniqueTopic('jsontest');
    const group = uniqueTopic('my_json_consumer');
    const produced = await call(`/topics/${topic}`, { type: JSON_V2, accept: V2, body: { records: [{ value: { foo: 'bar' } }] } });
    expect(produced).toEqual({
      status: 200,
      type: V2,
      body: { offsets: [{ partition: 0, offset: 0, error_code: null, error: null }], key_schema_id: null, value_schema_id: null },
    });
    expect(kcat(topic, 0)).toBe('0|0||{"foo":"bar"}');

    const created = await call(`/consumers/${group}`, { type: V2, body: { name: 'my_consumer_instance', format: 'json', 'auto.offset.reset': 'earliest' } });
    const base = `${t.baseUrl}/consumers/${group}/instances/my_consumer_instance`;
    expect(created.body).toEqual({ instance_id: 'my_consumer_instance', base_uri: base });
    const path = `/consumers/${group}/instances/my_consumer_instance`;
    expect((await call(`${path}/subscription`, { type: V2, body: { topics: [topic] } })).status).toBe(204);
    expect((await call(`${path}/subscription`)).body).toEqual({ topics: [topic] });

    const records = await call(`${path}/records?timeout=5000`, { accept: JSON_V2 });
    expect(records.type).toBe(JSON_V2);
    expect(records.body).toEqual([{ key: null, value: { foo: 'bar' }, partition: 0, offset: 0, topic, timestamp: expect.any(Number), headers: [] }]);

    expect((await call(path, { method: 'DELETE', type: V2 })).status).toBe(204);
    const gone = await call(`${path}/records`, { accept: JSON_V2 });
    expect(gone).toMatchObject({ status: 404, body: { error_code: 40403 } });
  });

  it('runs the binary walkthrough, bytes unchanged end to end (kcat reads them too)', async () => {
    const topic = uniqueTopic('binarytest');
    const group = uniqueTopic('my_binary_consumer');
    const produced = await call(`/topics/${topic}`, {
      type: BINARY_V2,
      accept: V2,
      body: { records: [{ value: 'S2Fma2E=' }, { key: 'a2V5', value: Buffer.from([0, 1, 2, 255]).toString('base64'), headers: [{ name: 'h', value: 'aGk=' }] }] },
    });
    expect((produced.body as { offsets: unknown[] }).offsets).toEqual([
      { partition: 0, offset: 0, error_code: null, error: null },
      { partition: 0, offset: 1, error_code: null, error: null },
    ]);
    expect(kcat(topic, 0)).toBe('0|0||Kafka');
    expect(kcat(topic, 1).startsWith('0|1|key|')).toBe(true);

    await call(`/consumers/${group}`, { type: V2, body: { name: 'my_consumer_instance', format: 'binary', 'auto.offset.reset': 'earliest' } });
    const path = `/consumers/${group}/instances/my_consumer_instance`;
    await call(`${path}/subscription`, { type: V2, body: { topics: [topic] } });
    const records = await call(`${path}/records?timeout=5000`, { accept: BINARY_V2 });
    expect(records.body).toEqual([
      { key: null, value: 'S2Fma2E=', partition: 0, offset: 0, topic, timestamp: expect.any(Number), headers: [] },
      { key: 'a2V5', value: 'AAEC/w==', partition: 0, offset: 1, topic, timestamp: expect.any(Number), headers: [{ name: 'h', value: 'aGk=' }] },
    ]);
    expect((await call(path, { method: 'DELETE', type: V2 })).status).toBe(204);
  });

  it('serves topic, partition, offsets and broker metadata', async () => {
    const topic = uniqueTopic('meta');
    await call(`/topics/${topic}`, { type: JSON_V2, body: { records: [{ value: 1 }, { value: 2 }] } });
    const partition = { partition: 0, leader: 1, replicas: [{ broker: 1, leader: true, in_sync: true }] };
    expect((await call(`/topics/${topic}`)).body).toEqual({ name: topic, configs: {}, partitions: [partition] });
    expect((await call(`/topics/${topic}/partitions`)).body).toEqual([partition]);
    expect((await call(`/topics/${topic}/partitions/0`)).body).toEqual(partition);
    expect((await call(`/topics/${topic}/partitions/0/offsets`)).body).toEqual({ beginning_offset: 0, end_offset: 2 });
    expect((await call('/brokers')).body).toEqual({ brokers: [1] });
    expect((await call('/topics')).body).toContain(topic);
  });

  describe('error codes', () => {
    const expectError = (reply: Reply, status: number, code: number): void => {
      expect(reply.status).toBe(status);
      expect(reply.body).toEqual({ error_code: code, message: expect.any(String) });
    };

    it('40401 unknown topic, 40402 unknown partition', async () => {
      expectError(await call('/topics/no-such-topic-here'), 404, 40401);
      const topic = uniqueTopic('p');
      await call(`/topics/${topic}`, { type: JSON_V2, body: { records: [{ value: 1 }] } });
      expectError(await call(`/topics/${topic}/partitions/9`), 404, 40402);
      expectError(await call(`/topics/${topic}/partitions/9`, { type: JSON_V2, body: { records: [{ value: 1 }] } }), 404, 40402);
      const perRecord = await call(`/topics/${topic}`, { type: JSON_V2, body: { records: [{ value: 1, partition: 9 }, { value: 2 }] } });
      expect(perRecord.status).toBe(200);
      expect((perRecord.body as { offsets: unknown[] }).offsets).toEqual([
        { partition: null, offset: null, error_code: 40402, error: expect.stringContaining('Partition 9') },
        { partition: 0, offset: 1, error_code: null, error: null },
      ]);
    });

    it('40403 unknown instance, 40902 duplicate instance, 40903 records before subscribing, 40601 wrong Accept', async () => {
      const group = uniqueTopic('errs');
      expectError(await call(`/consumers/${group}/instances/none/records`, { accept: BINARY_V2 }), 404, 40403);
      await call(`/consumers/${group}`, { type: V2, body: { name: 'dup' } });
      expectError(await call(`/consumers/${group}`, { type: V2, body: { name: 'dup' } }), 409, 40902);
      expectError(await call(`/consumers/${group}/instances/dup/records`, { accept: BINARY_V2 }), 409, 40903);
      expectError(await call(`/consumers/${group}/instances/dup/records`, { accept: JSON_V2 }), 406, 40601);
      await call(`/consumers/${group}/instances/dup`, { method: 'DELETE' });
    });

    it('415 wrong Content-Type, 400 malformed JSON and bad base64, 422/42206 empty or invalid payload and schema formats', async () => {
      const topic = uniqueTopic('payload');
      expectError(await call(`/topics/${topic}`, { type: 'application/json', body: { records: [{ value: 'x' }] } }), 415, 415);
      expectError(await call(`/topics/${topic}`, { type: JSON_V2, body: '{"records": [' }), 400, 400);
      expectError(await call(`/topics/${topic}`, { type: BINARY_V2, body: { records: [{ value: 'not base64!' }] } }), 400, 400);
      expectError(await call(`/topics/${topic}`, { type: BINARY_V2, body: { records: [] } }), 422, 42206);
      expectError(await call(`/topics/${topic}`, { method: 'POST', type: BINARY_V2 }), 422, 42206);
      expectError(await call(`/topics/${topic}`, { type: JSON_V2, body: { records: [{ value: 1, partition: -1 }] } }), 422, 42206);
      expectError(await call(`/topics/${topic}`, { type: 'application/vnd.kafka.avro.v2+json', body: { records: [{ value: 1 }] } }), 422, 42206);
      expectError(await call(`/consumers/${uniqueTopic('g')}`, { type: V2, body: { format: 'xml' } }), 422, 42206);
    });
  });
});
