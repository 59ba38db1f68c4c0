import { Kafka, logLevel } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCER_METADATA_MAX_AGE_MS } from '../../src/kafka/record-producer.js';
import { describeClusterDefaults } from './support/kafka-tools.js';
import { consumeV2, send } from './support/schema-client.js';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';

describe('topics across the dialects', () => {
  let t: ProxyUnderTest;
  let kafka: Kafka;
  const topic = uniqueTopic('orders');

  beforeAll(async () => {
    t = await startProxyUnderTest();
    kafka = new Kafka({ brokers: [t.bootstrapServers], logLevel: logLevel.NOTHING });
  });
  afterAll(() => t.proxy.stop());

  it('v3 creates a topic: 201, Location, and a native admin client sees it with the requested shape', async () => {
    const { data, response } = await t.client.POST('/v3/clusters/{cluster_id}/topics', {
      params: { path: { cluster_id: t.clusterId } },
      body: { topic_name: topic, partitions_count: 3, configs: [{ name: 'cleanup.policy', value: 'compact' }] },
    });
    expect(response.status).toBe(201);
    const self = `${t.baseUrl}/v3/clusters/${t.clusterId}/topics/${topic}`;
    expect(response.headers.get('location')).toBe(self);
    expect(data).toMatchObject({ kind: 'KafkaTopic', topic_name: topic, partitions_count: 3, replication_factor: 1, is_internal: false });
    expect(data?.metadata).toEqual({ self, resource_name: `crn:///kafka=${t.clusterId}/topic=${topic}` });

    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(topics[0]?.partitions).toHaveLength(3);
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: topic, configNames: ['cleanup.policy'] }],
      });
      expect(resources[0]?.configEntries[0]?.configValue).toBe('compact');
    } finally {
      await admin.disconnect();
    }
  });

  it('v3 refuses to create the same topic twice with 400/40002', async () => {
    const { error, response } = await t.client.POST('/v3/clusters/{cluster_id}/topics', {
      params: { path: { cluster_id: t.clusterId } },
      body: { topic_name: topic },
    });
    expect(response.status).toBe(400);
    expect(error?.error_code).toBe(40002);
    expect(error?.message).toContain(topic);
  });

  it('v3 validate_only checks without creating: 200 with the topic it would be, no Location', async () => {
    const name = uniqueTopic('dry-run');
    const { data, response } = await t.client.POST('/v3/clusters/{cluster_id}/topics', {
      params: { path: { cluster_id: t.clusterId } },
      body: { topic_name: name, partitions_count: 2, validate_only: true },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    expect(data?.topic_name).toBe(name);
    expect(data?.partitions_count).toBe(2);
    const list = await t.client.GET('/topics');
    expect(list.data).not.toContain(name);
  });

  it('v3 gets a topic, and 404/40401 for an unknown one', async () => {
    const ok = await t.client.GET('/v3/clusters/{cluster_id}/topics/{topic_name}', {
      params: { path: { cluster_id: t.clusterId, topic_name: topic } },
    });
    expect(ok.data?.partitions_count).toBe(3);
    const missing = await t.client.GET('/v3/clusters/{cluster_id}/topics/{topic_name}', {
      params: { path: { cluster_id: t.clusterId, topic_name: 'does-not-exist' } },
    });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toEqual({ error_code: 40401, message: "Topic 'does-not-exist' not found." });
  });

  it('v3 lists topics, each with its links', async () => {
    const { data } = await t.client.GET('/v3/clusters/{cluster_id}/topics', { params: { path: { cluster_id: t.clusterId } } });
    const mine = data?.data.find((x) => x.topic_name === topic);
    expect(mine?.partitions.related).toBe(`${t.baseUrl}/v3/clusters/${t.clusterId}/topics/${topic}/partitions`);
  });

  it('v2 lists topic names, sorted, with the v2 media type', async () => {
    const { data, response } = await t.client.GET('/topics');
    expect(response.headers.get('content-type')).toBe('application/vnd.kafka.v2+json');
    expect(data).toContain(topic);
    expect([...(data ?? [])].sort()).toEqual(data);
  });

  it('v2 root answers {}', async () => {
    const { data, response } = await t.client.GET('/');
    expect(response.status).toBe(200);
    expect(data).toEqual({});
  });

  it('Upstash lists topics with their partition counts', async () => {
    const { data, response } = await t.client.GET('/upstash/topics');
    expect(response.status).toBe(200);
    expect(data?.[topic]).toBe(3);
  });
});

describe('v3 brokers, partitions, partition count and topic deletion', () => {
  let t: ProxyUnderTest;
  beforeAll(async () => {
    t = await startProxyUnderTest();
  });
  afterAll(() => t.proxy.stop());

  it('lists and gets brokers', async () => {
    const list = await t.client.GET('/v3/clusters/{cluster_id}/brokers', { params: { path: { cluster_id: t.clusterId } } });
    const [host, port] = t.bootstrapServers.split(':');
    expect(list.data?.data).toEqual([
      {
        kind: 'KafkaBroker',
        metadata: { self: `${t.baseUrl}/v3/clusters/${t.clusterId}/brokers/1`, resource_name: `crn:///kafka=${t.clusterId}/broker=1` },
        cluster_id: t.clusterId,
        broker_id: 1,
        host,
        port: Number(port),
        rack: null,
        configs: { related: `${t.baseUrl}/v3/clusters/${t.clusterId}/brokers/1/configs` },
        partition_replicas: { related: `${t.baseUrl}/v3/clusters/${t.clusterId}/brokers/1/partition-replicas` },
      },
    ]);
    const one = await t.client.GET('/v3/clusters/{cluster_id}/brokers/{broker_id}', { params: { path: { cluster_id: t.clusterId, broker_id: 1 } } });
    expect(one.data?.broker_id).toBe(1);
    const none = await t.client.GET('/v3/clusters/{cluster_id}/brokers/{broker_id}', { params: { path: { cluster_id: t.clusterId, broker_id: 42 } } });
    expect(none.response.status).toBe(404);
  });

  it('increases partitions (PATCH), lists and gets them, refuses to shrink, and deletes the topic', async () => {
    const topic = uniqueTopic('grow');
    const path = { cluster_id: t.clusterId, topic_name: topic };
    await t.client.POST('/v3/clusters/{cluster_id}/topics', { params: { path: { cluster_id: t.clusterId } }, body: { topic_name: topic, partitions_count: 1 } });
    // A record first, so the proxy's producer knows the topic with its one partition.
    await t.client.POST('/v3/clusters/{cluster_id}/topics/{topic_name}/records', { params: { path }, body: { value: { type: 'STRING', data: 'old' } } });
    const grown = await t.client.PATCH('/v3/clusters/{cluster_id}/topics/{topic_name}', { params: { path }, body: { partitions_count: 3 } });
    expect(grown.data?.partitions_count).toBe(3);
    // The new partitions take records at once (the producer's metadata learns of them; no restart).
    const onNew = await t.client.POST('/v3/clusters/{cluster_id}/topics/{topic_name}/records', { params: { path }, body: { partition_id: 2, value: { type: 'STRING', data: 'new' } } });
    expect(onNew.response.status).toBe(200);
    expect(onNew.data).toMatchObject({ error_code: 200, partition_id: 2, offset: 0 });
    const shrink = await t.client.PATCH('/v3/clusters/{cluster_id}/topics/{topic_name}', { params: { path }, body: { partitions_count: 2 } });
    expect(shrink.response.status).toBe(400);
    expect(shrink.error?.error_code).toBe(40002);
    const partitions = await t.client.GET('/v3/clusters/{cluster_id}/topics/{topic_name}/partitions', { params: { path } });
    expect(partitions.data?.data.map((p) => p.partition_id)).toEqual([0, 1, 2]);
    const p2 = await t.client.GET('/v3/clusters/{cluster_id}/topics/{topic_name}/partitions/{partition_id}', { params: { path: { ...path, partition_id: 2 } } });
    expect(p2.data).toMatchObject({ kind: 'KafkaPartition', partition_id: 2, leader: { related: expect.stringMatching(/\/partitions\/2\/replicas\/1$/) } });
    const replicas = await t.client.GET('/v3/clusters/{cluster_id}/topics/{topic_name}/partitions/{partition_id}/replicas', { params: { path: { ...path, partition_id: 2 } } });
    expect(replicas.data?.data).toEqual([
      expect.objectContaining({ kind: 'KafkaReplica', topic_name: topic, partition_id: 2, broker_id: 1, is_leader: true, is_in_sync: true }),
    ]);
    const replica = await t.client.GET('/v3/clusters/{cluster_id}/topics/{topic_name}/partitions/{partition_id}/replicas/{broker_id}', {
      params: { path: { ...path, partition_id: 2, broker_id: 1 } },
    });
    expect(replica.data?.broker.related).toBe(`${t.baseUrl}/v3/clusters/${t.clusterId}/brokers/1`);
    const onBroker = await t.client.GET('/v3/clusters/{cluster_id}/brokers/{broker_id}/partition-replicas', { params: { path: { cluster_id: t.clusterId, broker_id: 1 } } });
    expect(onBroker.data?.data.filter((x) => x.topic_name === topic).map((x) => x.partition_id)).toEqual([0, 1, 2]);
    const p9 = await t.client.GET('/v3/clusters/{cluster_id}/topics/{topic_name}/partitions/{partition_id}', { params: { path: { ...path, partition_id: 9 } } });
    expect(p9.error?.error_code).toBe(40402);
    await expectPartitionOffsets(t, topic);
    await expectNoReassignments(t, topic);
    const deleted = await t.client.DELETE('/v3/clusters/{cluster_id}/topics/{topic_name}', { params: { path } });
    expect(deleted.response.status).toBe(204);
    const gone = await t.client.GET('/v3/clusters/{cluster_id}/topics/{topic_name}', { params: { path } });
    expect(gone.error?.error_code).toBe(40401);
    const again = await t.client.DELETE('/v3/clusters/{cluster_id}/topics/{topic_name}', { params: { path } });
    expect(again.error?.error_code).toBe(40401);
  });

  it('a deleted topic the proxy produced to stays deleted while the proxy keeps producing (the broker auto-creates topics)', async () => {
    const topic = uniqueTopic('deleted');
    const other = uniqueTopic('still-used');
    const path = { cluster_id: t.clusterId, topic_name: topic };
    const produce = (name: string) =>
      t.client.POST('/v3/clusters/{cluster_id}/topics/{topic_name}/records', { params: { path: { cluster_id: t.clusterId, topic_name: name } }, body: { value: { type: 'STRING', data: 'x' } } });
    for (const name of [topic, other]) {
      await t.client.POST('/v3/clusters/{cluster_id}/topics', { params: { path: { cluster_id: t.clusterId } }, body: { topic_name: name, partitions_count: 1 } });
      expect((await produce(name)).response.status).toBe(200);
    }
    expect((await t.client.DELETE('/v3/clusters/{cluster_id}/topics/{topic_name}', { params: { path } })).response.status).toBe(204);
    // Produces to another topic across several of the producer's metadata refreshes: none may name the deleted one
    // (a metadata request naming it would make this broker, with auto.create.topics.enable, create it again).
    const until = Date.now() + 3 * PRODUCER_METADATA_MAX_AGE_MS;
    while (Date.now() < until) {
      expect((await produce(other)).response.status).toBe(200);
      await sleep(250);
    }
    expect((await t.client.GET('/v3/clusters/{cluster_id}/topics/{topic_name}', { params: { path } })).error?.error_code).toBe(40401);
    expect((await t.client.GET('/v3/clusters/{cluster_id}/topics/{topic_name}/configs', { params: { path } })).error?.error_code).toBe(40401);
    const admin = new Kafka({ brokers: [t.bootstrapServers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const names = await admin.listTopics();
      expect(names).toContain(other);
      expect(names).not.toContain(topic);
    } finally {
      await admin.disconnect();
    }
  });

  it('topics another client deletes after the proxy asked their offsets or consumed them stall nothing else', async () => {
    const [gone, other] = [uniqueTopic('deleted-elsewhere'), uniqueTopic('asked-next')];
    const produce = (name: string) =>
      t.client.POST('/v3/clusters/{cluster_id}/topics/{topic_name}/records', { params: { path: { cluster_id: t.clusterId, topic_name: name } }, body: { value: { type: 'STRING', data: name } } });
    for (const name of [gone, other]) {
      await t.client.POST('/v3/clusters/{cluster_id}/topics', { params: { path: { cluster_id: t.clusterId } }, body: { topic_name: name, partitions_count: 1 } });
      expect((await produce(name)).response.status).toBe(200);
    }
    expect((await send(t.baseUrl, `/topics/${gone}/partitions/0/offsets`)).body).toMatchObject({ beginning_offset: 0, end_offset: 1 });
    expect((await consumeV2(t.baseUrl, gone, 'binary', 1)).status).toBe(200);
    const admin = new Kafka({ brokers: [t.bootstrapServers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await admin.deleteTopics({ topics: [gone] });
    } finally {
      await admin.disconnect();
    }
    // kafkajs would keep naming the deleted topic in the admin client's metadata requests, failing each for 15 s.
    const started = Date.now();
    expect((await send(t.baseUrl, `/topics/${other}/partitions/0/offsets`)).body).toMatchObject({ beginning_offset: 0, end_offset: 1 });
    const consumed = await consumeV2(t.baseUrl, other, 'binary', 1);
    expect(consumed.status).toBe(200);
    expect(consumed.body).toEqual([expect.objectContaining({ topic: other, value: Buffer.from(other).toString('base64') })]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

/** Three records in partition 1: earliest 0, latest 3 there (partition 0 holds one) — as a native admin client reports. */
async function expectPartitionOffsets(t: ProxyUnderTest, topic: string): Promise<void> {
  for (const value of ['a', 'b', 'c']) {
    await t.client.POST('/v3/clusters/{cluster_id}/topics/{topic_name}/records', {
      params: { path: { cluster_id: t.clusterId, topic_name: topic } },
      body: { partition_id: 1, value: { type: 'STRING', data: value } },
    });
  }
  const offsets = (partition: number, offsetType?: string) =>
    fetch(`${t.baseUrl}/v3/clusters/${t.clusterId}/topics/${topic}/partitions/${partition}/offset${offsetType ? `?offset_type=${offsetType}` : ''}`);
  const self = `${t.baseUrl}/v3/clusters/${t.clusterId}/topics/${topic}/partitions/1/offset`;
  expect(await (await offsets(1, 'earliest_and_latest')).json()).toEqual({
    kind: 'KafkaPartitionOffsets',
    metadata: { self, resource_name: `crn:///kafka=${t.clusterId}/topic=${topic}/partition=1/offset_type=earliest_and_latest` },
    cluster_id: t.clusterId,
    topic_name: topic,
    partition_id: 1,
    earliest_offset: 0,
    latest_offset: 3,
  });
  expect(await (await offsets(0)).json()).toMatchObject({ earliest_offset: 0, latest_offset: 1 });
  const admin = new Kafka({ brokers: [t.bootstrapServers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    expect((await admin.fetchTopicOffsets(topic)).find((o) => o.partition === 1)).toMatchObject({ low: '0', high: '3' });
  } finally {
    await admin.disconnect();
  }
  expect(await (await offsets(9)).json()).toMatchObject({ error_code: 40402 });
  const wrongType = await offsets(1, 'latest');
  expect(wrongType.status).toBe(400);
  expect(await wrongType.json()).toMatchObject({ error_code: 400 });
}

/** A one-broker cluster never has a reassignment in progress: empty lists, 404 for a partition. */
async function expectNoReassignments(t: ProxyUnderTest, topic: string): Promise<void> {
  const base = `${t.baseUrl}/v3/clusters/${t.clusterId}`;
  const all = (await (await fetch(`${base}/topics/-/partitions/-/reassignment`)).json()) as { kind: string; data: unknown[] };
  expect(all).toEqual({ kind: 'KafkaReassignmentList', metadata: { self: `${base}/topics/-/partitions/-/reassignment`, next: null }, data: [] });
  expect(await (await fetch(`${base}/topics/${topic}/partitions/-/reassignment`)).json()).toMatchObject({ kind: 'KafkaReassignmentList', data: [] });
  const one = await fetch(`${base}/topics/${topic}/partitions/0/reassignment`);
  expect(one.status).toBe(404);
  expect(await (await fetch(`${base}/topics/no-such-topic-${Date.now()}/partitions/-/reassignment`)).json()).toMatchObject({ error_code: 40401 });
}

describe('v3 topic configs', () => {
  let t: ProxyUnderTest;
  const topic = uniqueTopic('configured');
  beforeAll(async () => {
    t = await startProxyUnderTest();
    await t.client.POST('/v3/clusters/{cluster_id}/topics', {
      params: { path: { cluster_id: t.clusterId } },
      body: { topic_name: topic, configs: [{ name: 'retention.ms', value: '3600000' }] },
    });
  });
  afterAll(() => t.proxy.stop());

  const config = async (name: string) =>
    (await t.client.GET('/v3/clusters/{cluster_id}/topics/{topic_name}/configs/{name}', { params: { path: { cluster_id: t.clusterId, topic_name: topic, name } } })).data;

  it('lists and gets configs with source and synonyms', async () => {
    const list = await t.client.GET('/v3/clusters/{cluster_id}/topics/{topic_name}/configs', { params: { path: { cluster_id: t.clusterId, topic_name: topic } } });
    expect(list.data?.data.length).toBeGreaterThan(20);
    expect(await config('retention.ms')).toMatchObject({ kind: 'KafkaTopicConfig', name: 'retention.ms', value: '3600000', is_default: false, source: 'DYNAMIC_TOPIC_CONFIG' });
    expect(await config('cleanup.policy')).toMatchObject({ value: 'delete', is_default: true, source: 'DEFAULT_CONFIG' });
  });

  it('sets one config without touching the others, resets it, and alters several at once', async () => {
    const path = { cluster_id: t.clusterId, topic_name: topic };
    const put = await t.client.PUT('/v3/clusters/{cluster_id}/topics/{topic_name}/configs/{name}', { params: { path: { ...path, name: 'cleanup.policy' } }, body: { value: 'compact' } });
    expect(put.response.status).toBe(204);
    expect((await config('cleanup.policy'))?.value).toBe('compact');
    expect((await config('retention.ms'))?.value).toBe('3600000');
    const reset = await t.client.DELETE('/v3/clusters/{cluster_id}/topics/{topic_name}/configs/{name}', { params: { path: { ...path, name: 'cleanup.policy' } } });
    expect(reset.response.status).toBe(204);
    expect(await config('cleanup.policy')).toMatchObject({ value: 'delete', is_default: true });

    const dry = await t.client.POST('/v3/clusters/{cluster_id}/topics/{topic_name}/configs:alter', {
      params: { path },
      body: { data: [{ name: 'max.message.bytes', value: '2048' }], validate_only: true },
    });
    expect(dry.response.status).toBe(204);
    expect((await config('max.message.bytes'))?.is_default).toBe(true);
    await t.client.POST('/v3/clusters/{cluster_id}/topics/{topic_name}/configs:alter', {
      params: { path },
      body: { data: [{ name: 'max.message.bytes', value: '2048' }, { name: 'retention.ms', operation: 'DELETE' }] },
    });
    expect((await config('max.message.bytes'))?.value).toBe('2048');
    expect((await config('retention.ms'))?.is_default).toBe(true);
  });

  it('an unknown config name: 404 when the URL names it, 400 when an :alter body does, and nothing changes', async () => {
    const path = { cluster_id: t.clusterId, topic_name: topic };
    const put = await t.client.PUT('/v3/clusters/{cluster_id}/topics/{topic_name}/configs/{name}', { params: { path: { ...path, name: 'no.such.config' } }, body: { value: '1' } });
    expect(put.response.status).toBe(404);
    expect(put.error).toEqual({ error_code: 404, message: `Config 'no.such.config' of topic '${topic}' cannot be found.` });
    const alter = await t.client.POST('/v3/clusters/{cluster_id}/topics/{topic_name}/configs:alter', {
      params: { path },
      body: { data: [{ name: 'retention.ms', value: '7200000' }, { name: 'no.such.config', value: '1' }] },
    });
    expect(alter.response.status).toBe(400);
    expect(alter.error).toEqual({ error_code: 400, message: `Unknown config 'no.such.config' for topic '${topic}'.` });
    expect((await config('retention.ms'))?.value).not.toBe('7200000');
  });

  it('lists the configs of every topic at topics/-/configs', async () => {
    const all = await t.client.GET('/v3/clusters/{cluster_id}/topics/-/configs', { params: { path: { cluster_id: t.clusterId } } });
    const mine = all.data?.data.filter((c) => c.topic_name === topic) ?? [];
    expect(mine.length).toBeGreaterThan(20);
    expect(mine.find((c) => c.name === 'cleanup.policy')?.metadata.self).toBe(`${t.baseUrl}/v3/clusters/${t.clusterId}/topics/${topic}/configs/cleanup.policy`);
    expect(all.data?.metadata.self).toBe(`${t.baseUrl}/v3/clusters/${t.clusterId}/topics/-/configs`);
  });

  it('refuses unknown configs (404) and invalid values (400/40002)', async () => {
    const path = { cluster_id: t.clusterId, topic_name: topic };
    const unknown = await t.client.PUT('/v3/clusters/{cluster_id}/topics/{topic_name}/configs/{name}', { params: { path: { ...path, name: 'no.such.config' } }, body: { value: 'x' } });
    expect(unknown.response.status).toBe(404);
    const invalid = await t.client.PUT('/v3/clusters/{cluster_id}/topics/{topic_name}/configs/{name}', { params: { path: { ...path, name: 'cleanup.policy' } }, body: { value: 'sometimes' } });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error?.error_code).toBe(40002);
  });
});

describe('v3 broker configs', () => {
  let t: ProxyUnderTest;
  beforeAll(async () => {
    t = await startProxyUnderTest();
  });
  afterAll(() => t.proxy.stop());

  const base = () => `${t.baseUrl}/v3/clusters/${t.clusterId}`;
  const json = async (url: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> | undefined }> => {
    const response = await fetch(url, init);
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  };
  const put = (url: string, value: string) => json(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value }) });

  it('reads, sets and resets a broker config dynamically', async () => {
    const list = await json(`${base()}/brokers/1/configs`);
    expect((list.body?.data as unknown[]).length).toBeGreaterThan(100);
    const url = `${base()}/brokers/1/configs/log.cleaner.threads`;
    expect((await json(url)).body).toMatchObject({ kind: 'KafkaBrokerConfig', broker_id: 1, name: 'log.cleaner.threads', value: '1', is_default: true });
    expect((await put(url, '2')).status).toBe(204);
    // KRaft applies a dynamic config on the broker a moment after the controller accepted it.
    await expect.poll(async () => (await json(url)).body, { timeout: 10_000 }).toMatchObject({ value: '2', source: 'DYNAMIC_BROKER_CONFIG' });
    expect((await json(url, { method: 'DELETE' })).status).toBe(204);
    await expect.poll(async () => (await json(url)).body, { timeout: 10_000 }).toMatchObject({ value: '1', is_default: true });
    expect((await json(`${base()}/brokers/7/configs`)).status).toBe(404);
    const all = await json(`${base()}/brokers/-/configs`);
    expect((all.body?.data as { broker_id: number }[]).every((c) => c.broker_id === 1)).toBe(true);
    expect((all.body?.data as unknown[]).length).toBe((list.body?.data as unknown[]).length);
  });

  it("sets, lists, alters and resets cluster-wide broker configs, which Kafka's own ConfigCommand sees", async () => {
    const url = `${base()}/broker-configs/log.cleaner.threads`;
    expect((await json(`${base()}/broker-configs`)).body).toEqual({
      kind: 'KafkaClusterConfigList',
      metadata: { self: `${base()}/broker-configs`, next: null },
      data: [],
    });
    expect((await put(url, '2')).status).toBe(204);
    await expect.poll(async () => (await json(url)).status, { timeout: 10_000 }).toBe(200);
    expect((await json(url)).body).toMatchObject({
      kind: 'KafkaClusterConfig',
      metadata: { self: url, resource_name: `crn:///kafka=${t.clusterId}/broker-config=log.cleaner.threads` },
      cluster_id: t.clusterId,
      config_type: 'BROKER',
      name: 'log.cleaner.threads',
      value: '2',
      source: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
    });
    expect(await describeClusterDefaults(t.bootstrapServers)).toContain('log.cleaner.threads=2');
    // The broker picks the default up (its own config shows the cluster-wide source).
    await expect
      .poll(async () => (await json(`${base()}/brokers/1/configs/log.cleaner.threads`)).body, { timeout: 10_000 })
      .toMatchObject({ value: '2', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' });

    const alter = await json(`${base()}/broker-configs:alter`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: [{ name: 'log.cleaner.threads', operation: 'DELETE' }, { name: 'log.cleaner.backoff.ms', value: '20000' }] }),
    });
    expect(alter.status).toBe(204);
    // KRaft: the broker answering DescribeConfigs applies the controller's change a moment later.
    const listed = async () => ((await json(`${base()}/broker-configs`)).body?.data as { name: string; value: string }[]).map((c) => [c.name, c.value]);
    await expect.poll(listed, { timeout: 10_000 }).toEqual([['log.cleaner.backoff.ms', '20000']]);
    expect((await json(url)).body).toEqual({ error_code: 404, message: "Config 'log.cleaner.threads' has no cluster-wide value." });

    expect((await json(`${base()}/broker-configs/log.cleaner.backoff.ms`, { method: 'DELETE' })).status).toBe(204);
    await expect.poll(listed, { timeout: 10_000 }).toEqual([]);
    expect(await describeClusterDefaults(t.bootstrapServers)).not.toContain('log.cleaner');

    expect((await put(`${base()}/broker-configs/no.such.config`, '1')).status).toBe(404);
    const invalid = await put(url, 'many');
    expect(invalid.status).toBe(400);
    expect(invalid.body?.error_code).toBe(40002);
  });
});
