/**
 * Confluent v2 conformance (issue 14), the consumer side: fetch.min.bytes, explicit commits without a
 * subscription (and the group they leave in v3), subscribing to a topic that does not exist yet, the commit an
 * instance makes when deleted, and instances that belong to their creator. kafkajs is the witness of the group.
 */
import { Kafka, logLevel } from 'kafkajs';
import type { Admin, Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';
import { basic, USERS, writeUsersFile } from './support/users-file.js';
import { BINARY_V2, JSON_V2, V2, v2Call } from './support/v2-http.js';
import type { CallInit, Reply } from './support/v2-http.js';

interface Row {
  topic: string;
  offset: number;
  value: unknown;
}

describe('Confluent v2 conformance: consumer instances', () => {
  let t: ProxyUnderTest;
  let kafka: Kafka;
  let admin: Admin;
  const call = (path: string, init: CallInit = {}): Promise<Reply> => v2Call(t.baseUrl, path, init);
  const produceJson = (topic: string, values: unknown[]) => call(`/topics/${topic}`, { type: JSON_V2, body: { records: values.map((value) => ({ value, partition: 0 })) } });
  const rows = (reply: Reply): Row[] => (reply.body as Row[]).map(({ topic, offset, value }) => ({ topic, offset, value }));

  beforeAll(async () => {
    t = await startProxyUnderTest();
    kafka = new Kafka({ brokers: [t.bootstrapServers], logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin.disconnect();
    await t.proxy.stop();
  });

  it('2: with fetch.min.bytes, records gathers across topics until it has enough or the timeout ends', async () => {
    const topics = [uniqueTopic('min-bytes-a'), uniqueTopic('min-bytes-b'), uniqueTopic('min-bytes-c')];
    for (const topic of topics) await produceJson(topic, [1, 2, 3]);
    const group = uniqueTopic('min-bytes');
    await call(`/consumers/${group}`, { type: V2, body: { name: 'm', format: 'json', 'auto.offset.reset': 'earliest', 'fetch.min.bytes': 100000 } });
    const base = `/consumers/${group}/instances/m`;
    expect((await call(`${base}/subscription`, { type: V2, body: { topics } })).status).toBe(204);
    // 9 records of 1 byte never reach 100000 bytes: the first call answers at its timeout, with all of them.
    const first = await call(`${base}/records?timeout=5000`, { accept: JSON_V2 });
    expect(first.status).toBe(200);
    expect(rows(first).map((r) => `${r.topic}@${r.offset}`).sort()).toEqual(topics.flatMap((topic) => [0, 1, 2].map((o) => `${topic}@${o}`)).sort());
    await call(base, { method: 'DELETE' });
  });

  it('2: fetch.min.bytes -1 waits the whole timeout, gathering records that arrive meanwhile; max_bytes still ends it early', async () => {
    const topic = uniqueTopic('min-bytes-wait');
    await produceJson(topic, ['before']);
    const group = uniqueTopic('min-bytes-wait');
    await call(`/consumers/${group}`, { type: V2, body: { name: 'w', format: 'json', 'fetch.min.bytes': -1, 'consumer.request.timeout.ms': 4000 } });
    const base = `/consumers/${group}/instances/w`;
    await call(`${base}/assignments`, { type: V2, body: { partitions: [{ topic, partition: 0 }] } });
    await call(`${base}/positions/beginning`, { type: V2, body: { partitions: [{ topic, partition: 0 }] } });
    const pending = call(`${base}/records?timeout=4000`, { accept: JSON_V2 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await produceJson(topic, ['during']);
    expect(rows(await pending).map((r) => r.value)).toEqual(['before', 'during']);

    // max_bytes: records are ~8 bytes each; 20 bytes hold two, so the call answers with two and the rest stay.
    await produceJson(topic, ['aaaaaa', 'bbbbbb', 'cccccc']);
    const bounded = await call(`${base}/records?timeout=4000&max_bytes=20`, { accept: JSON_V2 });
    expect(rows(bounded).map((r) => r.value)).toEqual(['aaaaaa', 'bbbbbb']);
    const rest = await call(`${base}/records?timeout=1000`, { accept: JSON_V2 });
    expect(rows(rest).map((r) => r.value)).toEqual(['cccccc']);
    await call(base, { method: 'DELETE' });
  });

  it('3: explicit offsets are committed without subscription; v3 then shows the group with only committed offsets', async () => {
    const topic = uniqueTopic('commit-only');
    const group = uniqueTopic('commit-only');
    await produceJson(topic, [1, 2, 3, 4]);
    await call(`/consumers/${group}`, { type: V2, body: { name: 'c' } });
    const base = `/consumers/${group}/instances/c`;
    expect(await call(`${base}/offsets`, { type: V2, body: { offsets: [{ topic, partition: 0, offset: 0 }] } })).toEqual({ status: 200, type: V2, body: [] });
    expect(await admin.fetchOffsets({ groupId: group, topics: [topic] })).toEqual([{ topic, partitions: [{ partition: 0, offset: '1', metadata: null }] }]);
    expect((await admin.describeGroups([group])).groups[0]).toMatchObject({ groupId: group, state: 'Empty', protocolType: '', members: [] });

    const v3 = (path: string) => call(`/v3/clusters/${t.clusterId}/consumer-groups/${group}${path}`);
    expect(await v3('')).toMatchObject({ status: 200, body: { consumer_group_id: group, state: 'EMPTY', is_simple: true, type: 'CLASSIC' } });
    const lags = await v3('/lags');
    expect((lags.body as { data: unknown[] }).data).toEqual([expect.objectContaining({ topic_name: topic, partition_id: 0, current_offset: 1, log_end_offset: 4, lag: 3, consumer_id: '' })]);
    expect(await v3('/lag-summary')).toMatchObject({ status: 200, body: { max_lag: 3, total_lag: 3, max_lag_topic_name: topic, max_lag_partition_id: 0 } });
    expect((await call(`/v3/clusters/${t.clusterId}/consumer-groups`)).body).toMatchObject({ data: expect.arrayContaining([expect.objectContaining({ consumer_group_id: group })]) });
    await call(base, { method: 'DELETE' });
  });

  it('3: a group with active members elsewhere refuses commits from outside it: 409/40903, nothing stored', async () => {
    const topic = uniqueTopic('commit-busy');
    const group = uniqueTopic('commit-busy');
    await produceJson(topic, [1, 2]);
    const member: Consumer = kafka.consumer({ groupId: group });
    await member.connect();
    await member.subscribe({ topics: [topic] });
    const joined = new Promise<void>((resolve) => member.on(member.events.GROUP_JOIN, () => resolve()));
    await member.run({ autoCommit: false, eachMessage: async () => undefined });
    await joined;
    try {
      await call(`/consumers/${group}`, { type: V2, body: { name: 'outside' } });
      const refused = await call(`/consumers/${group}/instances/outside/offsets`, { type: V2, body: { offsets: [{ topic, partition: 0, offset: 1 }] } });
      expect(refused).toEqual({ status: 409, type: V2, body: { error_code: 40903, message: expect.stringContaining('active members') } });
      expect((await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0]!.partitions[0]!.offset).toBe('-1');
      await call(`/consumers/${group}/instances/outside`, { method: 'DELETE' });
    } finally {
      await member.disconnect();
    }
  });

  it('5: subscribing to a topic that does not exist yet is accepted; its records arrive once it exists', async () => {
    const topic = uniqueTopic('not-yet');
    const group = uniqueTopic('not-yet');
    await call(`/consumers/${group}`, { type: V2, body: { name: 'early', format: 'json', 'auto.offset.reset': 'earliest' } });
    const base = `/consumers/${group}/instances/early`;
    expect(await call(`${base}/subscription`, { type: V2, body: { topics: [topic] } })).toEqual({ status: 204, type: null, body: undefined });
    expect((await call(`${base}/subscription`)).body).toEqual({ topics: [topic] });
    expect(await call(`${base}/records?timeout=500`, { accept: JSON_V2 })).toMatchObject({ status: 200, body: [] });
    expect(await admin.listTopics()).not.toContain(topic);

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: '{"hello":"later"}' }] });
    await producer.disconnect();
    let received: Row[] = [];
    for (let attempt = 0; attempt < 20 && received.length === 0; attempt++) received = rows(await call(`${base}/records?timeout=1000`, { accept: JSON_V2 }));
    expect(received).toEqual([{ topic, offset: 0, value: { hello: 'later' } }]);
    const described = (await admin.describeGroups([group])).groups[0]!;
    expect(described).toMatchObject({ state: 'Stable', protocolType: 'consumer' });
    expect(described.members).toHaveLength(1);
    await call(base, { method: 'DELETE' });
  });

  it('6: deleting an instance after assignments, positions and records commits from outside the group (no join)', async () => {
    const topic = uniqueTopic('delete-fast');
    const group = uniqueTopic('delete-fast');
    await produceJson(topic, [1, 2, 3]);
    await call(`/consumers/${group}`, { type: V2, body: { name: 'd', format: 'json' } });
    const base = `/consumers/${group}/instances/d`;
    await call(`${base}/assignments`, { type: V2, body: { partitions: [{ topic, partition: 0 }] } });
    await call(`${base}/positions`, { type: V2, body: { offsets: [{ topic, partition: 0, offset: 1 }] } });
    expect(rows(await call(`${base}/records?timeout=3000`, { accept: JSON_V2 })).map((r) => r.offset)).toEqual([1, 2]);
    expect((await call(base, { method: 'DELETE', type: V2 })).status).toBe(204);
    // Auto-commit stored what was returned on delete; the group never had a member (kafkajs's setOffsets joined
    // the group as one and waited for a fetch: that was the 5 s).
    expect(await admin.fetchOffsets({ groupId: group, topics: [topic] })).toEqual([{ topic, partitions: [{ partition: 0, offset: '3', metadata: null }] }]);
    expect((await admin.describeGroups([group])).groups[0]).toMatchObject({ state: 'Empty', protocolType: '', protocol: '', members: [] });
  });
});

describe('Confluent v2 conformance: an instance belongs to whoever created it', () => {
  let t: ProxyUnderTest;
  const as = (user: { username: string; password: string }, path: string, init: CallInit = {}): Promise<Reply> => v2Call(t.baseUrl, path, { ...init, authorization: basic(user) });

  beforeAll(async () => {
    t = await startProxyUnderTest({ 'auth.file': writeUsersFile() });
  });
  afterAll(() => t.proxy.stop());

  it('10: another user gets 403/40301 on every call to it; an admin may delete it', async () => {
    const topic = uniqueTopic('owned');
    const group = uniqueTopic('owned');
    await as(USERS.full, `/topics/${topic}`, { type: BINARY_V2, body: { records: [{ value: 'b3duZWQ=' }] } });
    expect((await as(USERS.full, `/consumers/${group}`, { type: V2, body: { name: 'mine', 'auto.offset.reset': 'earliest' } })).status).toBe(200);
    const base = `/consumers/${group}/instances/mine`;
    expect((await as(USERS.full, `${base}/subscription`, { type: V2, body: { topics: [topic] } })).status).toBe(204);

    const forbidden = { status: 403, type: V2, body: { error_code: 40301, message: expect.stringContaining('belongs to another user') } };
    const other = USERS.consumer;
    expect(await as(other, `${base}/records?timeout=100`, { accept: BINARY_V2 })).toEqual(forbidden);
    expect(await as(other, `${base}/subscription`)).toEqual(forbidden);
    expect(await as(other, `${base}/subscription`, { type: V2, body: { topics: [topic] } })).toEqual(forbidden);
    expect(await as(other, `${base}/offsets`, { type: V2, body: { offsets: [{ topic, partition: 0, offset: 0 }] } })).toEqual(forbidden);
    expect(await as(other, `${base}/offsets`, { method: 'GET', type: V2, body: { partitions: [{ topic, partition: 0 }] } })).toEqual(forbidden);
    expect(await as(other, `${base}/positions/beginning`, { type: V2, body: { partitions: [{ topic, partition: 0 }] } })).toEqual(forbidden);
    expect(await as(other, base, { method: 'DELETE' })).toEqual(forbidden);

    let records: unknown[] = [];
    for (let attempt = 0; attempt < 10 && records.length === 0; attempt++) records = (await as(USERS.full, `${base}/records?timeout=1000`, { accept: BINARY_V2 })).body as unknown[];
    expect(records).toEqual([expect.objectContaining({ topic, value: 'b3duZWQ=' })]);
    expect((await as(USERS.admin, base, { method: 'DELETE' })).status).toBe(204);
    expect((await as(USERS.full, `${base}/subscription`)).body).toMatchObject({ error_code: 40403 });
  });

  it('10: the same holds across dialects: an Upstash consumer instance is its creator’s', async () => {
    const topic = uniqueTopic('owned-upstash');
    const group = uniqueTopic('owned-upstash');
    const upstash = (user: { username: string; password: string }, path: string, body: unknown) =>
      fetch(`${t.baseUrl}/upstash${path}`, { method: 'POST', headers: { authorization: basic(user), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await upstash(USERS.full, `/consume/${group}/i`, { topic, timeout: 200 })).status).toBe(200);
    const refused = await upstash(USERS.consumer, `/consume/${group}/i`, { topic, timeout: 200 });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: expect.stringContaining('belongs to another user'), status: 403 });
    expect((await upstash(USERS.consumer, `/delete-consumer/${group}/i`, {})).status).toBe(403);
    expect((await upstash(USERS.full, `/delete-consumer/${group}/i`, {})).status).toBe(200);
  });
});
