/** The real `@upstash/kafka` SDK, unchanged, pointed at this server's Upstash mount point. */
import { Kafka } from '@upstash/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';
import { USERS, writeUsersFile } from './support/users-file.js';

describe('@upstash/kafka SDK against the Upstash dialect', () => {
  let t: ProxyUnderTest;
  let kafka: Kafka;
  beforeAll(async () => {
    t = await startProxyUnderTest({ 'auth.file': writeUsersFile() });
    kafka = new Kafka({ url: `${t.baseUrl}/upstash/`, username: USERS.admin.username, password: USERS.admin.password });
  });
  afterAll(() => t.proxy.stop());

  it('produces with key and headers, then fetches the message back exactly', async () => {
    const topic = uniqueTopic('sdk-produce');
    const headers = [
      { key: 'trace', value: 'abc-123' },
      { key: 'unicode', value: 'žluťoučký kůň 🐎' },
    ];
    const meta = await kafka.producer().produce(topic, { hello: 'world', n: 1 }, { key: 'key-1', headers, timestamp: 1_700_000_000_123 });
    expect(meta).toEqual({ topic, partition: 0, offset: 0, timestamp: 1_700_000_000_123 });
    const messages = await kafka.consumer().fetch({ topic, partition: 0, offset: 0, timeout: 2000 });
    expect(messages).toEqual([
      { topic, partition: 0, offset: 0, timestamp: 1_700_000_000_123, key: 'key-1', value: '{"hello":"world","n":1}', headers },
    ]);
  });

  it('produceMany across two topics, then fetches both', async () => {
    const [a, b] = [uniqueTopic('sdk-many-a'), uniqueTopic('sdk-many-b')];
    const metas = await kafka.producer().produceMany([
      { topic: a, value: 'a-0' },
      { topic: b, value: 'b-0', key: 'kb' },
      { topic: a, value: 'a-1' },
    ]);
    expect(metas.map((m) => [m.topic, m.offset])).toEqual([[a, 0], [b, 0], [a, 1]]);
    const fetched = await kafka.consumer().fetch({
      topicPartitionOffsets: [
        { topic: a, partition: 0, offset: 0 },
        { topic: b, partition: 0, offset: 0 },
      ],
      timeout: 2000,
    });
    expect(fetched.map((m) => [m.topic, m.value, m.key])).toEqual([[a, 'a-0', ''], [a, 'a-1', ''], [b, 'b-0', 'kb']]);
  });

  it('consume with earliest returns a just-produced message within 5 s of the first call', async () => {
    const topic = uniqueTopic('sdk-consume');
    await kafka.producer().produce(topic, 'fresh', { key: 'k' });
    const started = Date.now();
    // One call on a new instance: it joins the group and returns what is there, no empty first poll.
    const messages = await kafka
      .consumer()
      .consume({ consumerGroupId: uniqueTopic('g'), instanceId: 'i1', topics: [topic], autoOffsetReset: 'earliest', timeout: 4000 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(messages.map((m) => [m.value, m.key])).toEqual([['fresh', 'k']]);
  });

  it('consumes two topics with auto-commit off; commit then committed reports the committed value; /consumers lists it', async () => {
    const [a, b] = [uniqueTopic('sdk-two-a'), uniqueTopic('sdk-two-b')];
    await kafka.producer().produceMany([
      { topic: a, value: 'a-0' },
      { topic: b, value: 'b-0' },
      { topic: b, value: 'b-1' },
    ]);
    const group = uniqueTopic('group');
    const consumer = kafka.consumer();
    const seen: string[] = [];
    for (let i = 0; i < 10 && seen.length < 3; i++) {
      const batch = await consumer.consume({ consumerGroupId: group, instanceId: 'two', topics: [a, b], autoCommit: false, autoOffsetReset: 'earliest', timeout: 2000 });
      seen.push(...batch.map((m) => m.value));
    }
    expect(seen.sort()).toEqual(['a-0', 'b-0', 'b-1']);

    const partitions = [{ topic: a, partition: 0 }, { topic: b, partition: 0 }];
    // Auto-commit is off: nothing is committed until we say so.
    expect(await consumer.committed({ consumerGroupId: group, instanceId: 'two', topicPartitions: partitions })).toEqual([
      { topic: a, partition: 0, offset: -1 },
      { topic: b, partition: 0, offset: -1 },
    ]);
    await consumer.commit({ consumerGroupId: group, instanceId: 'two', offset: { topic: b, partition: 0, offset: 1 } });
    expect(await consumer.committed({ consumerGroupId: group, instanceId: 'two', topicPartitions: [{ topic: b, partition: 0 }] })).toEqual([
      { topic: b, partition: 0, offset: 1 },
    ]);
    // With no offset the instance commits what it handed out.
    await consumer.commit({ consumerGroupId: group, instanceId: 'two' });
    expect(await kafka.admin().committedOffsets({ consumerGroupId: group, instanceId: 'two', topicPartitions: partitions })).toEqual([
      { topic: a, partition: 0, offset: 1 },
      { topic: b, partition: 0, offset: 2 },
    ]);

    const groups = await kafka.admin().consumers();
    const mine = groups.find((g) => g.name === group);
    expect(mine?.instances).toEqual([
      { name: 'two', topics: expect.arrayContaining([{ topic: a, partitions: [0] }, { topic: b, partitions: [0] }]) },
    ]);
    await kafka.admin().removeConsumerInstance(group, 'two');
    expect((await kafka.admin().consumers()).find((g) => g.name === group)).toBeUndefined();
  });

  it('topicPartitionOffsets for a timestamp, earliest and latest', async () => {
    const topic = uniqueTopic('sdk-offsets');
    await kafka.producer().produceMany([
      { topic, value: 'old', timestamp: 1_000_000 },
      { topic, value: 'mid', timestamp: 2_000_000 },
      { topic, value: 'new', timestamp: 3_000_000 },
    ]);
    const admin = kafka.admin();
    const at = (timestamp: number | 'earliest' | 'latest') => admin.topicPartitionOffsets({ timestamp, topicPartition: { topic, partition: 0 } });
    expect(await at('earliest')).toEqual([{ topic, partition: 0, offset: 0 }]);
    expect(await at('latest')).toEqual([{ topic, partition: 0, offset: 3 }]);
    expect(await at(1_500_000)).toEqual([{ topic, partition: 0, offset: 1 }]);
    expect(await at(9_000_000)).toEqual([{ topic, partition: 0, offset: 3 }]);
  });

  it('lists topics with their partition counts', async () => {
    const topic = uniqueTopic('sdk-topics');
    await kafka.producer().produce(topic, 'x');
    expect((await kafka.admin().topics())[topic]).toBe(1);
  });

  it('removing an unknown instance rejects with the JSON error', async () => {
    await expect(kafka.admin().removeConsumerInstance('no-group', 'no-instance')).rejects.toMatchObject({
      name: 'UpstashError',
      status: 404,
    });
  }, 40_000);

  it('a wrong password rejects with 401', async () => {
    const wrong = new Kafka({ url: `${t.baseUrl}/upstash`, username: USERS.admin.username, password: 'wrong' });
    await expect(wrong.admin().topics()).rejects.toMatchObject({ name: 'UpstashError', status: 401 });
  }, 40_000);
});
