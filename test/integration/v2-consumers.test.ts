/**
 * Confluent v2 over HTTP as its users drive it: the quickstart's JSON and binary walkthroughs, metadata, and the
 * error codes of produce and consumer calls. kcat is the independent witness of what was written.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';
import { BINARY_V2, JSON_V2, V2, v2Call } from './support/v2-http.js';
import type { CallInit, Reply } from './support/v2-http.js';

describe('Confluent v2', () => {
  let t: ProxyUnderTest;

  const call = (path: string, init: CallInit = {}): Promise<Reply> => v2Call(t.baseUrl, path, init);

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
    // Every config with its value, defaults included, as Confluent lists them (issue 14: it listed only overrides).
    expect((await call(`/topics/${topic}`)).body).toEqual({
      name: topic,
      configs: expect.objectContaining({ 'cleanup.policy': 'delete', 'max.message.bytes': expect.stringMatching(/^\d+$/) }),
      partitions: [partition],
    });
    expect((await call(`/topics/${topic}/partitions`)).body).toEqual([partition]);
    expect((await call(`/topics/${topic}/partitions/0`)).body).toEqual(partition);
    expect((await call(`/topics/${topic}/partitions/0/offsets`)).body).toEqual({ beginning_offset: 0, end_offset: 2 });
    expect((await call('/brokers')).body).toEqual({ brokers: [1] });
    expect((await call('/topics')).body).toContain(topic);
  });

  it('assignments + positions read a chosen partition from a chosen offset; commit and committed agree', async () => {
    const topic = uniqueTopic('assigned');
    const group = uniqueTopic('assign-group');
    await call(`/topics/${topic}`, { type: JSON_V2, body: { records: [0, 1, 2, 3, 4].map((n) => ({ value: { n }, partition: 0 })) } });
    await call(`/consumers/${group}`, { type: V2, body: { name: 'm', format: 'json', 'auto.commit.enable': 'false' } });
    const path = `/consumers/${group}/instances/m`;
    expect((await call(`${path}/assignments`, { type: V2, body: { partitions: [{ topic, partition: 0 }] } })).status).toBe(204);
    expect((await call(`${path}/assignments`)).body).toEqual({ partitions: [{ topic, partition: 0 }] });
    expect((await call(`${path}/positions`, { type: V2, body: { offsets: [{ topic, partition: 0, offset: 3 }] } })).status).toBe(204);
    const read = await call(`${path}/records?timeout=3000`, { accept: JSON_V2 });
    expect((read.body as { offset: number; value: unknown }[]).map((r) => [r.offset, r.value])).toEqual([[3, { n: 3 }], [4, { n: 4 }]]);

    // Nothing committed yet: the partition is left out, as Confluent's committed() answer leaves it out.
    expect((await call(`${path}/offsets`, { method: 'GET', type: V2, body: { partitions: [{ topic, partition: 0 }] } })).body).toEqual({ offsets: [] });
    // Confluent's rule: commit the last record consumed; the stored (and reported) offset is the next one.
    // Answered with a JSON body (Confluent's implementation answers an empty list), no longer an empty 200 (issue 14).
    expect(await call(`${path}/offsets`, { type: V2, body: { offsets: [{ topic, partition: 0, offset: 3 }] } })).toEqual({ status: 200, type: V2, body: [] });
    const committed = await call(`${path}/offsets`, { method: 'GET', type: V2, body: { partitions: [{ topic, partition: 0 }] } });
    expect(committed.body).toEqual({ offsets: [{ topic, partition: 0, offset: 4, metadata: '' }] });
    // With no body it commits after everything it returned.
    await call(`${path}/offsets`, { method: 'POST', type: V2 });
    expect((await call(`${path}/offsets`, { method: 'GET', type: V2, body: { partitions: [{ topic, partition: 0 }] } })).body).toEqual({
      offsets: [{ topic, partition: 0, offset: 5, metadata: '' }],
    });

    await call(`${path}/positions/beginning`, { type: V2, body: { partitions: [{ topic, partition: 0 }] } });
    const again = await call(`${path}/records?timeout=3000`, { accept: JSON_V2 });
    expect((again.body as { offset: number }[])[0]?.offset).toBe(0);
    await call(`${path}/positions/end`, { type: V2, body: { partitions: [{ topic, partition: 0 }] } });
    expect((await call(`${path}/records?timeout=200`, { accept: JSON_V2 })).body).toEqual([]);

    // Subscription and assignment exclude each other; seeking a partition not assigned is refused.
    expect((await call(`${path}/subscription`, { type: V2, body: { topics: [topic] } })).body).toMatchObject({ error_code: 40903 });
    expect((await call(`${path}/positions`, { type: V2, body: { offsets: [{ topic, partition: 7, offset: 0 }] } })).body).toMatchObject({ error_code: 40903 });

    expect((await call(path, { method: 'DELETE' })).status).toBe(204);
    for (const [sub, init] of [
      ['/assignments', {}],
      ['/subscription', {}],
      ['/offsets', { type: V2, body: { offsets: [] } }],
      ['/positions', { type: V2, body: { offsets: [] } }],
      ['', { method: 'DELETE' }],
    ] as const) {
      expect((await call(`${path}${sub}`, init)).body).toMatchObject({ error_code: 40403 });
    }
  });

  it('a json consumer returns the JSON records before one that is not JSON, then 406/40601 without skipping it', async () => {
    const topic = uniqueTopic('notjson');
    const group = uniqueTopic('notjson-group');
    await call(`/topics/${topic}`, { type: BINARY_V2, body: { records: ['{"n":1}', 'plain text', '{"n":3}'].map((v) => ({ value: Buffer.from(v).toString('base64'), partition: 0 })) } });
    await call(`/consumers/${group}`, { type: V2, body: { name: 'j', format: 'json', 'auto.offset.reset': 'earliest', 'auto.commit.enable': 'false' } });
    const path = `/consumers/${group}/instances/j`;
    await call(`${path}/assignments`, { type: V2, body: { partitions: [{ topic, partition: 0 }] } });
    const first = await call(`${path}/records?timeout=3000`, { accept: JSON_V2 });
    expect((first.body as { offset: number; value: unknown }[]).map((r) => [r.offset, r.value])).toEqual([[0, { n: 1 }]]);
    for (let attempt = 0; attempt < 2; attempt++) {
      const refused = await call(`${path}/records?timeout=3000`, { accept: JSON_V2 });
      expect(refused.status).toBe(406);
      expect(refused.body).toMatchObject({ error_code: 40601, message: expect.stringContaining('binary-format consumer') });
    }
    // Nothing skipped: committing "what was returned" stores the offset of the record that was refused.
    await call(`${path}/offsets`, { method: 'POST', type: V2 });
    expect((await call(`${path}/offsets`, { method: 'GET', type: V2, body: { partitions: [{ topic, partition: 0 }] } })).body).toEqual({
      offsets: [{ topic, partition: 0, offset: 1, metadata: '' }],
    });
    await call(path, { method: 'DELETE' });
  });

  it('a subscribed instance commits what it returned, and seeks within its assignment', async () => {
    const topic = uniqueTopic('subscribed');
    const group = uniqueTopic('sub-group');
    await call(`/topics/${topic}`, { type: BINARY_V2, body: { records: [{ value: 'YQ==' }, { value: 'Yg==' }] } });
    await call(`/consumers/${group}`, { type: V2, body: { name: 's', 'auto.offset.reset': 'earliest', 'auto.commit.enable': false } });
    const path = `/consumers/${group}/instances/s`;
    await call(`${path}/subscription`, { type: V2, body: { topic_pattern: `${topic.replace(/[.-]/g, '\\$&')}` } });
    expect((await call(`${path}/subscription`)).body).toEqual({ topics: [topic] });
    const first = await call(`${path}/records?timeout=5000`, { accept: BINARY_V2 });
    expect((first.body as { value: string }[]).map((r) => r.value)).toEqual(['YQ==', 'Yg==']);
    expect((await call(`${path}/assignments`)).body).toEqual({ partitions: [{ topic, partition: 0 }] });
    await call(`${path}/offsets`, { method: 'POST', type: V2 });
    expect((await call(`${path}/offsets`, { method: 'GET', type: V2, body: { partitions: [{ topic, partition: 0 }] } })).body).toEqual({
      offsets: [{ topic, partition: 0, offset: 2, metadata: '' }],
    });
    expect((await call(`${path}/positions`, { type: V2, body: { offsets: [{ topic, partition: 0, offset: 1 }] } })).status).toBe(204);
    const reread = await call(`${path}/records?timeout=5000`, { accept: BINARY_V2 });
    expect((reread.body as { offset: number }[]).map((r) => r.offset)).toEqual([1]);
    expect((await call(`${path}/subscription`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`${path}/subscription`)).body).toEqual({ topics: [] });
    await call(path, { method: 'DELETE' });
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

    it('assignments, committed offsets and commits naming an unknown topic or partition answer 404 at once', async () => {
      const group = uniqueTopic('unknown-topic');
      await call(`/consumers/${group}`, { type: V2, body: { name: 'i' } });
      const base = `/consumers/${group}/instances/i`;
      const unknownTopic = { partitions: [{ topic: 'no-such-topic-for-offsets', partition: 0 }] };
      const started = Date.now();
      expectError(await call(`${base}/offsets`, { method: 'GET', type: V2, body: unknownTopic }), 404, 40401);
      expectError(await call(`${base}/assignments`, { type: V2, body: unknownTopic }), 404, 40401);
      // kafkajs retried requests naming an unknown topic for ~15 s before giving up.
      expect(Date.now() - started).toBeLessThan(5000);
      const topic = uniqueTopic('known');
      await call(`/topics/${topic}`, { type: JSON_V2, body: { records: [{ value: 1 }] } });
      expectError(await call(`${base}/assignments`, { type: V2, body: { partitions: [{ topic, partition: 3 }] } }), 404, 40402);
      expect((await call(`${base}/assignments`, { type: V2, body: { partitions: [{ topic, partition: 0 }] } })).status).toBe(204);
      const commit = await call(`${base}/offsets`, { type: V2, body: { offsets: [{ topic: 'no-such-topic-for-offsets', partition: 0, offset: 1 }] } });
      expectError(commit, 404, 40401);
      await call(base, { method: 'DELETE' });
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

    it('415 wrong Content-Type, 400 malformed JSON and bad base64, 422/42206 empty or invalid payload and schema formats without a registry, 42202 a value without value schema', async () => {
      const topic = uniqueTopic('payload');
      expectError(await call(`/topics/${topic}`, { type: 'application/json', body: { records: [{ value: 'x' }] } }), 415, 415);
      expectError(await call(`/topics/${topic}`, { type: JSON_V2, body: '{"records": [' }), 400, 400);
      expectError(await call(`/topics/${topic}`, { type: BINARY_V2, body: { records: [{ value: 'not base64!' }] } }), 400, 400);
      expectError(await call(`/topics/${topic}`, { type: BINARY_V2, body: { records: [] } }), 422, 42206);
      expectError(await call(`/topics/${topic}`, { method: 'POST', type: BINARY_V2 }), 422, 42206);
      expectError(await call(`/topics/${topic}`, { type: JSON_V2, body: { records: [{ value: 1, partition: -1 }] } }), 422, 42206);
      // As Confluent, a value without a value schema is refused first (42202), then a missing registry (42206).
      expectError(await call(`/topics/${topic}`, { type: 'application/vnd.kafka.avro.v2+json', body: { records: [{ value: 1 }] } }), 422, 42202);
      expectError(await call(`/topics/${topic}`, { type: 'application/vnd.kafka.avro.v2+json', body: { value_schema: '"int"', records: [{ value: 1 }] } }), 422, 42206);
      expectError(await call(`/consumers/${uniqueTopic('g')}`, { type: V2, body: { format: 'xml' } }), 422, 42206);
    });
  });
});
