/**
 * What one consume call answers, now that polls hand out what the instance has fetched: everything buffered up to
 * max_bytes (no 500-record cap unless consumer.max.poll.records sets one), in offset order with nothing skipped or
 * repeated, json-format refusals without loss also when the answer was written ahead, byte-exact keys, values and
 * headers, and a rebalance that never hands a record to two members. kafkajs, used directly, writes the records.
 */
import { Kafka, logLevel } from 'kafkajs';
import type { Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../../generated/openapi-types.js';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';

const V2 = 'application/vnd.kafka.v2+json';
const JSON_V2 = 'application/vnd.kafka.json.v2+json';
const BINARY_V2 = 'application/vnd.kafka.binary.v2+json';

type BinaryRecord = components['schemas']['BinaryConsumerRecord'];

describe('consume answers', () => {
  let t: ProxyUnderTest;
  let capped: ProxyUnderTest;
  let kafka: Kafka;

  async function produce(topic: string, messages: Message[], partitions = 1): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true }).catch(() => undefined);
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages });
    await producer.disconnect();
  }

  async function v2(base: string, path: string, init: { method?: string; body?: unknown; accept?: string } = {}): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${base}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { 'content-type': V2, accept: init.accept ?? V2 },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  /** A subscribed v2 instance of `format`, reading from the earliest offset without auto-commit. */
  async function subscribed(base: string, group: string, name: string, topic: string, format = 'binary'): Promise<string> {
    await v2(base, `/consumers/${group}`, { body: { name, format, 'auto.offset.reset': 'earliest', 'auto.commit.enable': 'false' } });
    const path = `/consumers/${group}/instances/${name}`;
    expect((await v2(base, `${path}/subscription`, { body: { topics: [topic] } })).status).toBe(204);
    return path;
  }

  async function records(base: string, path: string, query = 'timeout=3000', accept = BINARY_V2): Promise<BinaryRecord[]> {
    const reply = await v2(base, `${path}/records?${query}`, { accept });
    expect(reply.status).toBe(200);
    return reply.body as BinaryRecord[];
  }

  beforeAll(async () => {
    kafka = new Kafka({ brokers: [(t = await startProxyUnderTest()).bootstrapServers], clientId: 'consume-answers-witness', logLevel: logLevel.NOTHING });
    capped = await startProxyUnderTest({ 'consumer.max.poll.records': '7' });
  });
  afterAll(async () => {
    await t.proxy.stop();
    await capped.proxy.stop();
  });

  it('answers everything fetched in one call (no 500 cap), max_bytes bounds it, and no record is skipped or repeated', async () => {
    const topic = uniqueTopic('answers');
    const values = Array.from({ length: 3000 }, (_, i) => `value-${String(i).padStart(6, '0')}`);
    await produce(topic, values.map((value) => ({ value })));
    const path = await subscribed(t.baseUrl, uniqueTopic('answers-group'), 'a', topic);
    const seen: BinaryRecord[] = [];
    let largest = 0;
    while (seen.length < values.length) {
      // Every other call asks for at most 200 bytes of keys and values: 12 records of 12 bytes.
      const answer = await records(t.baseUrl, path, seen.length % 2 === 0 ? 'timeout=3000' : 'timeout=3000&max_bytes=200');
      expect(answer.length).toBeGreaterThan(0);
      if (seen.length % 2 === 1) expect(answer.length).toBeLessThanOrEqual(16);
      largest = Math.max(largest, answer.length);
      seen.push(...answer);
    }
    expect(largest).toBeGreaterThan(500);
    expect(seen.map((r) => r.offset)).toEqual(values.map((_, i) => i));
    expect(seen.map((r) => Buffer.from(r.value ?? '', 'base64').toString())).toEqual(values);
    await v2(t.baseUrl, path, { method: 'DELETE' });
  });

  it('consumer.max.poll.records caps each answer when it is set', async () => {
    const topic = uniqueTopic('capped');
    await produce(topic, Array.from({ length: 20 }, (_, i) => ({ value: `v${i}` })));
    const path = await subscribed(capped.baseUrl, uniqueTopic('capped-group'), 'c', topic);
    const sizes: number[] = [];
    for (let total = 0; total < 20; ) {
      const answer = await records(capped.baseUrl, path);
      sizes.push(answer.length);
      total += answer.length;
    }
    expect(Math.max(...sizes)).toBe(7);
    await v2(capped.baseUrl, path, { method: 'DELETE' });
  });

  it('keeps keys, values, null values, timestamps and repeated headers byte for byte, v2 and Upstash alike', async () => {
    const topic = uniqueTopic('exact');
    const headers = { h: [Buffer.from([0, 255]), Buffer.from('second')], constructor: 'c' };
    await produce(topic, [
      { key: Buffer.from([1, 2, 3]), value: Buffer.from([0, 128, 255]), timestamp: '1600000000000', headers },
      { key: null, value: null, timestamp: '1600000000001' },
      { key: 'ключ', value: 'значение "quoted"\n', timestamp: '1600000000002' },
    ]);
    const path = await subscribed(t.baseUrl, uniqueTopic('exact-group'), 'e', topic);
    const answer = await records(t.baseUrl, path);
    expect(answer).toEqual([
      {
        topic, key: 'AQID', value: 'AID/', partition: 0, offset: 0, timestamp: 1600000000000,
        headers: [{ name: 'h', value: 'AP8=' }, { name: 'h', value: Buffer.from('second').toString('base64') }, { name: 'constructor', value: 'Yw==' }],
      },
      { topic, key: null, value: null, partition: 0, offset: 1, timestamp: 1600000000001, headers: [] },
      { topic, key: Buffer.from('ключ').toString('base64'), value: Buffer.from('значение "quoted"\n').toString('base64'), partition: 0, offset: 2, timestamp: 1600000000002, headers: [] },
    ]);
    await v2(t.baseUrl, path, { method: 'DELETE' });
    const upstash = await fetch(`${t.baseUrl}/upstash/consume/${uniqueTopic('exact-up')}/u/${topic}?timeout=5000`, { headers: { 'kafka-auto-offset-reset': 'earliest' } });
    expect(upstash.status).toBe(200);
    expect(((await upstash.json()) as unknown[]).slice(1)).toEqual([
      { topic, partition: 0, offset: 1, timestamp: 1600000000001, key: '', value: '', headers: [] },
      { topic, partition: 0, offset: 2, timestamp: 1600000000002, key: 'ключ', value: 'значение "quoted"\n', headers: [] },
    ]);
  });

  it('a subscribed json consumer answers the JSON records before one that is not, then 406 without skipping it', async () => {
    const topic = uniqueTopic('json-ahead');
    await produce(topic, [{ value: '{"n":0}' }]);
    const group = uniqueTopic('json-ahead-group');
    const path = await subscribed(t.baseUrl, group, 'j', topic, 'json');
    expect((await records(t.baseUrl, path, 'timeout=5000', JSON_V2)).map((r) => r.value)).toEqual([{ n: 0 }]);
    // Fetched while nobody asks: the instance writes these answers ahead, and the second batch cannot be written.
    await produce(topic, [{ value: '{"n":1}' }, { value: '{"n":2}' }]);
    await produce(topic, [{ value: '{"n":3}' }, { value: 'not json' }, { value: '{"n":5}' }]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const values: unknown[] = [];
    while (values.length < 3) values.push(...(await records(t.baseUrl, path, 'timeout=5000', JSON_V2)).map((r) => r.value));
    expect(values).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    const refused = await v2(t.baseUrl, `${path}/records?timeout=3000`, { accept: JSON_V2 });
    expect(refused).toMatchObject({ status: 406, body: { error_code: 40601 } });
    await v2(t.baseUrl, `${path}/offsets`, { method: 'POST' });
    const admin = kafka.admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    await admin.disconnect();
    expect(committed?.partitions).toEqual([expect.objectContaining({ partition: 0, offset: '4' })]);
    await v2(t.baseUrl, path, { method: 'DELETE' });
  });

  it('after a rebalance each record goes to one member only, and none is lost', async () => {
    const topic = uniqueTopic('rebalance');
    const group = uniqueTopic('rebalance-group');
    await produce(topic, [0, 1].map((partition) => ({ partition, value: `before-${partition}` })), 2);
    const first = await subscribed(t.baseUrl, group, 'first', topic);
    const before: BinaryRecord[] = [];
    while (before.length < 2) before.push(...(await records(t.baseUrl, first)));
    expect((await v2(t.baseUrl, `${first}/offsets`, { method: 'POST' })).status).toBe(200);
    const second = await subscribed(t.baseUrl, group, 'second', topic);
    // Both members poll until the group has settled with one partition each.
    const deadline = Date.now() + 60_000;
    const assignment = async (path: string): Promise<number[]> =>
      ((await v2(t.baseUrl, `${path}/assignments`)).body as { partitions: { partition: number }[] }).partitions.map((p) => p.partition);
    while ((await assignment(first)).length !== 1 || (await assignment(second)).length !== 1) {
      if (Date.now() > deadline) throw new Error('the group did not settle with one partition per member');
      await Promise.all([records(t.baseUrl, first, 'timeout=500'), records(t.baseUrl, second, 'timeout=500')]);
    }
    const sent = Array.from({ length: 40 }, (_, i) => ({ partition: i % 2, value: `after-${i}` }));
    await produce(topic, sent, 2);
    const got = new Map<string, string[]>([[first, []], [second, []]]);
    while ([...got.values()].flat().filter((v) => v.includes(':after-')).length < sent.length) {
      if (Date.now() > deadline) throw new Error(`only ${[...got.values()].flat().length} records arrived`);
      for (const path of [first, second]) {
        got.get(path)!.push(...(await records(t.baseUrl, path, 'timeout=500')).map((r) => `${r.partition}:${Buffer.from(r.value ?? '', 'base64').toString()}`));
      }
    }
    const after = [...got.values()].flat().filter((v) => v.includes(':after-'));
    expect(new Set(after).size).toBe(after.length);
    expect(after.sort()).toEqual(sent.map((s) => `${s.partition}:${s.value}`).sort());
    for (const seen of got.values()) expect(new Set(seen.filter((v) => v.includes(':after-')).map((v) => v.split(':')[0])).size).toBeLessThanOrEqual(1);
    for (const path of [first, second]) await v2(t.baseUrl, path, { method: 'DELETE' });
  }, 90_000);
});
