/** The stateless "read partition P from offset O" of v3 (an extension) and of the v1 draft — no consumer group. */
import { execFileSync } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';

describe('stateless partition reads', () => {
  let t: ProxyUnderTest;
  let kafka: Kafka;
  const topic = uniqueTopic('stateless');

  beforeAll(async () => {
    t = await startProxyUnderTest();
    kafka = new Kafka({ brokers: [t.bootstrapServers], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { key: 'k0', value: 'v0', timestamp: '1600000000000' },
        { key: null, value: Buffer.from([0, 1, 255]), headers: { h: 'x' }, timestamp: '1600000000001' },
        { key: 'k2', value: null, timestamp: '1600000000002' },
      ],
    });
    await producer.disconnect();
  });
  afterAll(() => t.proxy.stop());

  it('v3 reads records from an offset with a link to the next read, and joins no group', async () => {
    const admin = kafka.admin();
    await admin.connect();
    const groupsBefore = (await admin.listGroups()).groups.length;
    const base = `${t.baseUrl}/v3/clusters/${t.clusterId}/topics/${topic}/partitions/0/records`;
    const first = (await (await fetch(`${base}?offset=1&max_records=1`)).json()) as { metadata: { next: string }; data: unknown[] };
    expect(first.data).toEqual([
      {
        kind: 'KafkaRecord', cluster_id: t.clusterId, topic_name: topic, partition_id: 0, offset: 1,
        timestamp: '2020-09-13T12:26:40.001Z', key: null, value: { type: 'BINARY', data: 'AAH/' }, headers: [{ name: 'h', value: 'eA==' }],
      },
    ]);
    expect(first.metadata.next).toBe(`${base}?offset=2&max_records=1`);
    const next = (await (await fetch(first.metadata.next)).json()) as { data: { offset: number; key: unknown; value: unknown }[] };
    expect(next.data.map((r) => [r.offset, r.key, r.value])).toEqual([[2, { type: 'BINARY', data: Buffer.from('k2').toString('base64') }, null]]);
    const atEnd = await fetch(`${base}?offset=3&timeout=200`);
    expect(((await atEnd.json()) as { data: unknown[] }).data).toEqual([]);
    expect((await admin.listGroups()).groups.length).toBe(groupsBefore);
    await admin.disconnect();
  });

  it('v3 returns exactly the records kcat reads from the same offset', async () => {
    const out = execFileSync('kcat', ['-C', '-b', t.bootstrapServers, '-t', topic, '-p', '0', '-o', '1', '-e', '-q', '-f', '%o|%T|%K|%k|%S|%h\n'], { timeout: 20_000 });
    const seen = out.toString('latin1').trim().split('\n');
    const body = (await (await fetch(`${t.baseUrl}/v3/clusters/${t.clusterId}/topics/${topic}/partitions/0/records?offset=1`)).json()) as {
      data: { offset: number; timestamp: string; key: { data: string } | null; value: { data: string } | null; headers: { name: string; value: string }[] }[];
    };
    // kcat: offset|timestamp ms|key length (-1 null)|key|value length (-1 null)|headers as name=value
    const asKcat = body.data.map((r) => {
      const key = r.key ? Buffer.from(r.key.data, 'base64') : null;
      const value = r.value ? Buffer.from(r.value.data, 'base64') : null;
      const headers = r.headers.map((h) => `${h.name}=${Buffer.from(h.value, 'base64').toString('latin1')}`).join(',');
      return [r.offset, Date.parse(r.timestamp), key?.length ?? -1, key?.toString('latin1') ?? '', value?.length ?? -1, headers].join('|');
    });
    expect(asKcat).toEqual(seen);
    expect(seen).toHaveLength(2);
  });

  it('v3 errors: offset past the end 400, unknown topic 40401, unknown partition 40402, bad offset 400', async () => {
    const base = `${t.baseUrl}/v3/clusters/${t.clusterId}/topics`;
    const past = await fetch(`${base}/${topic}/partitions/0/records?offset=99`);
    expect(past.status).toBe(400);
    expect(await past.json()).toEqual({ error_code: 400, message: expect.stringContaining('out of range') });
    expect(await (await fetch(`${base}/no-such-topic-x/partitions/0/records?offset=0`)).json()).toMatchObject({ error_code: 40401 });
    expect(await (await fetch(`${base}/${topic}/partitions/7/records?offset=0`)).json()).toMatchObject({ error_code: 40402 });
    expect((await fetch(`${base}/${topic}/partitions/0/records?offset=abc`)).status).toBe(400);
  });

  it('the v1 draft reads `count` messages from an offset, base64 keys and values', async () => {
    const response = await fetch(`${t.baseUrl}/topics/${topic}/partitions/0/messages?offset=0&count=2`);
    expect(response.headers.get('content-type')).toBe('application/vnd.kafka.binary.v1+json');
    expect(await response.json()).toEqual([
      { key: Buffer.from('k0').toString('base64'), value: Buffer.from('v0').toString('base64'), partition: 0, offset: 0 },
      { key: null, value: 'AAH/', partition: 0, offset: 1 },
    ]);
    expect(await (await fetch(`${t.baseUrl}/topics/${topic}/partitions/0/messages?offset=2`)).json()).toEqual([
      { key: Buffer.from('k2').toString('base64'), value: null, partition: 0, offset: 2 },
    ]);
    expect(await (await fetch(`${t.baseUrl}/topics/no-such-topic-y/partitions/0/messages?offset=0`)).json()).toMatchObject({ error_code: 40401 });
  });
});
