/**
 * The Upstash dialect over plain HTTP: the documented curl examples (seeds 000 and 001), credentials and
 * permissions, bad input, and what a native Kafka client (kcat) reads of what /produce wrote.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';
import { basic, USERS, writeUsersFile } from './support/users-file.js';

interface Reply {
  status: number;
  body: unknown;
}

describe('Upstash dialect over HTTP', () => {
  let t: ProxyUnderTest;
  let u: string;
  const admin = basic(USERS.admin);

  /** As curl sends `-d` bodies: no JSON content type. */
  async function call(path: string, init: { method?: string; body?: string; auth?: string | null; headers?: Record<string, string> } = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...init.headers };
    const auth = init.auth === undefined ? admin : init.auth;
    if (auth) headers['authorization'] = auth;
    if (init.body !== undefined) headers['content-type'] ??= 'application/x-www-form-urlencoded';
    const response = await fetch(`${u}${path}`, { method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers, body: init.body });
    return { status: response.status, body: JSON.parse(await response.text()) };
  }

  beforeAll(async () => {
    t = await startProxyUnderTest({ 'auth.file': writeUsersFile() });
    u = `${t.baseUrl}/upstash`;
  });
  afterAll(() => t.proxy.stop());

  describe('the documented curl examples', () => {
    const greetings = uniqueTopic('greetings');
    const cities = uniqueTopic('cities');

    it('GET /produce/$TOPIC/$MESSAGE answers the metadata object', async () => {
      const r = await call(`/produce/${greetings}/hello_kafka`);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ topic: greetings, partition: 0, offset: 0, timestamp: expect.any(Number) });
      await call(`/produce/${cities}/Istanbul?key=tr`);
    });

    it('GET /consume/$GROUP/$INSTANCE/$TOPIC and the body forms answer arrays of messages', async () => {
      const group = uniqueTopic('mygroup');
      const first = await call(`/consume/${group}/myconsumer/${greetings}?timeout=3000`, { headers: { 'Kafka-Auto-Offset-Reset': 'earliest' } });
      expect(first.status).toBe(200);
      expect(first.body).toEqual([
        { topic: greetings, partition: 0, offset: 0, timestamp: expect.any(Number), key: '', value: 'hello_kafka', headers: [] },
      ]);
      const viaBody = await call(`/consume/${group}/other`, { body: JSON.stringify({ topic: greetings, timeout: 1000 }) });
      expect(viaBody.status).toBe(200);
      expect(Array.isArray(viaBody.body)).toBe(true);
      const many = await call(`/consume/${group}/myconsumer`, {
        body: JSON.stringify({ topics: [greetings, cities], timeout: 3000 }),
        headers: { 'Kafka-Enable-Auto-Commit': 'false', 'Kafka-Auto-Offset-Reset': 'earliest' },
      });
      expect(many.status).toBe(200);
      expect((many.body as { topic: string }[]).every((m) => [greetings, cities].includes(m.topic))).toBe(true);
    });

    it('POST /fetch with a triple, a list, and both', async () => {
      const single = await call('/fetch', { body: JSON.stringify({ topic: greetings, partition: 0, offset: 0, timeout: 1000 }) });
      expect(single.body).toEqual([expect.objectContaining({ topic: greetings, offset: 0, value: 'hello_kafka' })]);
      const list = await call('/fetch', {
        body: JSON.stringify({ topicPartitionOffsets: [{ topic: greetings, partition: 0, offset: 0 }, { topic: cities, partition: 0, offset: 0 }], timeout: 5000 }),
      });
      expect((list.body as { value: string }[]).map((m) => m.value)).toEqual(['hello_kafka', 'Istanbul']);
      const both = await call('/fetch', {
        body: JSON.stringify({ topic: cities, partition: 0, offset: 0, topicPartitionOffsets: [{ topic: greetings, partition: 0, offset: 0 }], timeout: 5000 }),
      });
      expect((both.body as { value: string; key: string }[]).map((m) => [m.value, m.key])).toEqual([['Istanbul', 'tr'], ['hello_kafka', '']]);
    });

    it('commit (one, many, none) answers {"result":"Success","status":200}; delete-consumer too', async () => {
      const group = uniqueTopic('commits');
      await call(`/consume/${group}/c1/${greetings}`, { headers: { 'Kafka-Auto-Offset-Reset': 'earliest' } });
      const success = { result: 'Success', status: 200 };
      expect((await call(`/commit/${group}/c1`, { body: JSON.stringify({ topic: greetings, partition: 0, offset: 1 }) })).body).toEqual(success);
      expect((await call(`/commit/${group}/c1`, { body: JSON.stringify([{ topic: greetings, partition: 0, offset: 1 }]) })).body).toEqual(success);
      expect((await call(`/commit/${group}/c1`)).body).toEqual(success);
      expect((await call(`/committed/${group}/c1`, { body: JSON.stringify({ topic: greetings, partition: 0 }) })).body).toEqual([
        { topic: greetings, partition: 0, offset: 1 },
      ]);
      expect((await call(`/delete-consumer/${group}/c1`, { method: 'DELETE' })).body).toEqual(success);
    });

    it('auto-commit on: what an instance returned is committed within its interval', async () => {
      const group = uniqueTopic('auto');
      const got = await call(`/consume/${group}/a1/${greetings}?timeout=3000`, {
        headers: { 'Kafka-Auto-Offset-Reset': 'earliest', 'Kafka-Enable-Auto-Commit': 'true', 'Kafka-Auto-Commit-Interval': '300' },
      });
      expect((got.body as unknown[]).length).toBe(1);
      await new Promise((r) => setTimeout(r, 1000));
      expect((await call(`/committed/${group}/a1`, { body: JSON.stringify({ topic: greetings, partition: 0 }) })).body).toEqual([
        { topic: greetings, partition: 0, offset: 1 },
      ]);
    });

    it('Kafka-Auto-Offset-Reset: none fails without a committed offset and starts from it once there is one', async () => {
      const group = uniqueTopic('none');
      const refused = await call(`/consume/${group}/n1/${greetings}`, { headers: { 'Kafka-Auto-Offset-Reset': 'none' } });
      expect(refused).toEqual({ status: 400, body: { error: expect.stringContaining('no committed offset'), status: 400 } });
      // Commit offset 0 through another instance of the group, then `none` starts there.
      await call(`/consume/${group}/setter/${greetings}`, { headers: { 'Kafka-Auto-Offset-Reset': 'latest', 'Kafka-Enable-Auto-Commit': 'false' } });
      await call(`/commit/${group}/setter`, { body: JSON.stringify({ topic: greetings, partition: 0, offset: 0 }) });
      await call(`/delete-consumer/${group}/setter`, { method: 'POST' });
      const started = await call(`/consume/${group}/n1/${greetings}?timeout=3000`, { headers: { 'Kafka-Auto-Offset-Reset': 'none' } });
      expect(started.status).toBe(200);
      expect((started.body as { offset: number; value: string }[]).map((m) => [m.offset, m.value])).toEqual([[0, 'hello_kafka']]);
    });

    it('lists topics without Kafka internals', async () => {
      const topics = (await call('/topics')).body as Record<string, number>;
      expect(topics[greetings]).toBe(1);
      expect(Object.keys(topics).some((t) => t.startsWith('__'))).toBe(false);
    });

    it('tolerates a trailing slash', async () => {
      expect((await call('/topics/')).status).toBe(200);
    });
  });

  describe('credentials', () => {
    it('no credentials: 401 {error, status} with a Basic challenge', async () => {
      const response = await fetch(`${u}/topics`);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expect(await response.json()).toEqual({ error: expect.stringContaining('credentials'), status: 401 });
    });

    it('a wrong password or unknown user: 401', async () => {
      expect((await call('/topics', { auth: basic({ username: 'admin', password: 'nope' }) })).status).toBe(401);
      expect((await call('/topics', { auth: basic({ username: 'ghost', password: 'x' }) })).status).toBe(401);
      expect((await call('/topics', { auth: 'Bearer abc' })).status).toBe(401);
    });

    it('a produce-only user may produce but not consume or fetch: 403', async () => {
      const topic = uniqueTopic('perm');
      const producer = basic(USERS.producer);
      expect((await call(`/produce/${topic}/x`, { auth: producer })).status).toBe(200);
      const consume = await call(`/consume/g/i/${topic}`, { auth: producer });
      expect(consume).toEqual({ status: 403, body: { error: `User 'producer' may not consume from topic '${topic}'.`, status: 403 } });
      expect((await call('/fetch', { auth: producer, body: JSON.stringify({ topic, partition: 0, offset: 0 }) })).status).toBe(403);
    });

    it('a logs.* user may use logs.app but not orders: 403', async () => {
      const logs = basic(USERS.logs);
      expect((await call(`/produce/logs.${uniqueTopic('app')}/x`, { auth: logs })).status).toBe(200);
      const orders = await call('/produce/orders/x', { auth: logs });
      expect(orders).toEqual({ status: 403, body: { error: "User 'logs' may not produce to topic 'orders'.", status: 403 } });
      expect((await call('/produce', { auth: logs, body: JSON.stringify([{ topic: 'orders', value: 'x' }]) })).status).toBe(403);
    });

    it('webhook accepts ?user=&pass= instead of Basic auth', async () => {
      const topic = uniqueTopic('hooks');
      const ok = await call(`/webhook?topic=${topic}&user=admin&pass=admin-secret`, { auth: null, body: 'raw payload', headers: { 'X-Event': 'push' } });
      expect(ok.body).toEqual({ topic, partition: 0, offset: 0, timestamp: expect.any(Number) });
      const bad = await call(`/webhook?topic=${topic}&user=admin&pass=wrong`, { auth: null, body: 'x' });
      expect(bad.status).toBe(401);
      const fetched = await call('/fetch', { body: JSON.stringify({ topic, partition: 0, offset: 0 }) });
      expect(fetched.body).toEqual([expect.objectContaining({ value: 'raw payload', headers: [{ key: 'x-event', value: 'push' }] })]);
    });
  });

  describe('bad input gets a 4xx JSON error and the server keeps serving', () => {
    it.each([
      ['unknown topic', '/fetch', JSON.stringify({ topic: 'no-such-topic-at-all', partition: 0, offset: 0 }), 404],
      ['unknown instance (commit)', '/commit/nogroup/noinstance', JSON.stringify({ topic: 't', partition: 0, offset: 1 }), 404],
      ['malformed JSON', '/produce', '{"topic": "t", "value": ', 400],
      ['negative partition', '/produce', JSON.stringify({ topic: 't', value: 'x', partition: -1 }), 400],
      ['non-numeric offset', '/fetch', JSON.stringify({ topic: 't', partition: 0, offset: 'ten' }), 400],
      ['message without topic on /produce', '/produce', JSON.stringify({ value: 'x' }), 400],
      ['fetch with neither a triple nor a list', '/fetch', JSON.stringify({ timeout: 10 }), 400],
      ['consume without topics', '/consume/g/i', JSON.stringify({ timeout: 10 }), 400],
      ['partition that does not exist', '/produce', JSON.stringify({ topic: 'greetings-exists', value: 'x', partition: 99 }), 404],
    ])('%s', async (_name, path, body, status) => {
      if (path === '/produce' && body.includes('greetings-exists')) await call('/produce/greetings-exists/x');
      const r = await call(path, { body });
      expect(r.status).toBe(status);
      expect(r.body).toEqual({ error: expect.any(String), status });
      expect((await call('/topics')).status).toBe(200);
    });

    it('a produce with one message to a partition that does not exist writes none of its messages', async () => {
      const topic = uniqueTopic('allornothing');
      await call(`/produce/${topic}/first`);
      const r = await call('/produce', { body: JSON.stringify([{ topic, value: 'second' }, { topic, value: 'third', partition: 5 }]) });
      expect(r).toEqual({ status: 404, body: { error: expect.stringContaining('Partition 5'), status: 404 } });
      const out = execFileSync('kcat', ['-C', '-b', t.bootstrapServers, '-t', topic, '-e', '-q', '-f', '%s\n'], { encoding: 'utf8', timeout: 20_000 });
      expect(out.trim().split('\n')).toEqual(['first']);
    });

    it('offsets with a bad timestamp: 400', async () => {
      const r = await call('/offsets/yesterday', { body: JSON.stringify({ topic: 't', partition: 0 }) });
      expect(r).toEqual({ status: 400, body: { error: expect.stringContaining('timestamp'), status: 400 } });
    });
  });

  it('kcat reads what /produce wrote: key, value, headers, partition and timestamp', async () => {
    const topic = uniqueTopic('kcat');
    await call(`/produce/${topic}`, { body: JSON.stringify({ value: 'one', partition: 0 }) });
    const r = await call('/produce', {
      body: JSON.stringify([{ topic, value: 'héllo wörld', key: 'the-key', partition: 0, timestamp: 1_650_000_000_123, headers: [{ key: 'h1', value: 'v1' }, { key: 'h2', value: 'v 2' }] }]),
    });
    expect(r.body).toEqual([{ topic, partition: 0, offset: 1, timestamp: 1_650_000_000_123 }]);
    const out = execFileSync(
      'kcat',
      ['-C', '-b', t.bootstrapServers, '-t', topic, '-p', '0', '-o', '1', '-c', '1', '-e', '-q', '-f', '%p|%o|%T|%k|%s|%h\n'],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(out.trim()).toBe('0|1|1650000000123|the-key|héllo wörld|h1=v1,h2=v 2');
  });
});
