/** Confluent v3 consumer groups and lags, for a group driven by a native kafkajs consumer (also the witness of it). */
import { Kafka, logLevel } from 'kafkajs';
import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';

describe('Confluent v3 consumer groups', () => {
  let t: ProxyUnderTest;
  let consumer: Consumer;
  const topic = uniqueTopic('lagged');
  const group = uniqueTopic('lag-group');

  beforeAll(async () => {
    t = await startProxyUnderTest();
    const kafka = new Kafka({ brokers: [t.bootstrapServers], logLevel: logLevel.NOTHING, clientId: 'lag-test' });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [0, 1, 2, 3, 4].map((n) => ({ value: String(n), partition: 0 })).concat([{ value: 'x', partition: 1 }]) });
    await producer.disconnect();
    // A member that commits offset 2 on partition 0 and 1 on partition 1, then stays in the group.
    consumer = kafka.consumer({ groupId: group });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({ autoCommit: false, eachMessage: async () => undefined });
    await joined;
    // kafkajs emits GROUP_JOIN before its runner counts as running, and until then commitOffsets does nothing
    // (silently): commit until the group's offsets are there.
    for (let attempt = 0; attempt < 50; attempt++) {
      await consumer.commitOffsets([{ topic, partition: 0, offset: '2' }, { topic, partition: 1, offset: '1' }]);
      const stored = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      if (stored[0]!.partitions.every((p) => p.offset !== '-1')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await admin.disconnect();
  });
  afterAll(async () => {
    await consumer.disconnect();
    await t.proxy.stop();
  });

  const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${t.baseUrl}/v3/clusters/${t.clusterId}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('lists and gets the group with its state and members', async () => {
    const list = await get('/consumer-groups');
    expect((list.body.data as { consumer_group_id: string }[]).map((g) => g.consumer_group_id)).toContain(group);
    const one = await get(`/consumer-groups/${group}`);
    expect(one.body).toMatchObject({ kind: 'KafkaConsumerGroup', consumer_group_id: group, is_simple: false, state: 'STABLE', partition_assignor: 'RoundRobinAssigner' });
    const members = await get(`/consumer-groups/${group}/consumers`);
    expect(members.body.data).toEqual([expect.objectContaining({ kind: 'KafkaConsumer', consumer_group_id: group, client_id: 'lag-test', consumer_id: expect.any(String) })]);
    expect((await get('/consumer-groups/no-such-group')).status).toBe(404);

    const memberId = (members.body.data as { consumer_id: string }[])[0]!.consumer_id;
    const member = await get(`/consumer-groups/${group}/consumers/${memberId}`);
    expect(member.body).toMatchObject({ kind: 'KafkaConsumer', consumer_id: memberId, client_id: 'lag-test' });
    const assignments = await get(`/consumer-groups/${group}/consumers/${memberId}/assignments`);
    expect((assignments.body.data as { topic_name: string; partition_id: number }[]).map((a) => [a.topic_name, a.partition_id])).toEqual([[topic, 0], [topic, 1]]);
    const assignment = await get(`/consumer-groups/${group}/consumers/${memberId}/assignments/${topic}/partitions/1`);
    expect(assignment.body).toMatchObject({ kind: 'KafkaConsumerAssignment', partition_id: 1, lag: { related: expect.stringContaining(`/lags/${topic}/partitions/1`) } });
    expect((await get(`/consumer-groups/${group}/consumers/${memberId}/assignments/${topic}/partitions/7`)).status).toBe(404);
    expect((await get(`/consumer-groups/${group}/consumers/nobody`)).status).toBe(404);
  });

  it('reports per-partition lag and the lag summary', async () => {
    const lags = await get(`/consumer-groups/${group}/lags`);
    const rows = (lags.body.data as { partition_id: number; current_offset: number; log_end_offset: number; lag: number; client_id: string }[]).map((l) => [
      l.partition_id, l.current_offset, l.log_end_offset, l.lag, l.client_id,
    ]);
    expect(rows).toEqual([[0, 2, 5, 3, 'lag-test'], [1, 1, 1, 0, 'lag-test']]);
    const single = await get(`/consumer-groups/${group}/lags/${topic}/partitions/0`);
    expect(single.body).toMatchObject({ kind: 'KafkaConsumerLag', current_offset: 2, log_end_offset: 5, lag: 3 });
    expect((await get(`/consumer-groups/${group}/lags/${topic}/partitions/9`)).status).toBe(404);
    const summary = await get(`/consumer-groups/${group}/lag-summary`);
    expect(summary.body).toMatchObject({ kind: 'KafkaConsumerGroupLagSummary', max_lag: 3, total_lag: 3, max_lag_topic_name: topic, max_lag_partition_id: 0, max_lag_client_id: 'lag-test' });
  });

  it("has the fields of Confluent's current spec: type, is_mixed_consumer_group, coordinator, and the lag summary's links (issue 14)", async () => {
    const kafka = new Kafka({ brokers: [t.bootstrapServers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const { brokers } = await admin.describeCluster();
    const described = (await admin.describeGroups([group])).groups[0]!;
    await admin.disconnect();
    // One broker: it is the coordinator of every group. The group speaks the classic protocol (protocolType consumer).
    expect(brokers).toHaveLength(1);
    expect(described.protocolType).toBe('consumer');
    const url = (path: string): string => `${t.baseUrl}/v3/clusters/${t.clusterId}${path}`;
    const one = await get(`/consumer-groups/${group}`);
    expect(one.body).toMatchObject({ type: 'CLASSIC', is_mixed_consumer_group: false, coordinator: { related: url(`/brokers/${brokers[0]!.nodeId}`) } });
    const listed = ((await get('/consumer-groups')).body.data as { consumer_group_id: string }[]).find((g) => g.consumer_group_id === group);
    expect(listed).toEqual(one.body);
    const coordinator = await fetch((one.body.coordinator as { related: string }).related);
    expect(await coordinator.json()).toMatchObject({ kind: 'KafkaBroker', broker_id: brokers[0]!.nodeId });

    const memberId = described.members[0]!.memberId;
    const summary = await get(`/consumer-groups/${group}/lag-summary`);
    expect(summary.body).toMatchObject({
      max_lag_consumer_id: memberId,
      max_lag_consumer: { related: url(`/consumer-groups/${group}/consumers/${memberId}`) },
      max_lag_partition: { related: url(`/topics/${topic}/partitions/0`) },
    });
    const maxLagConsumer = await fetch((summary.body.max_lag_consumer as { related: string }).related);
    expect(await maxLagConsumer.json()).toMatchObject({ kind: 'KafkaConsumer', consumer_id: memberId });
    const maxLagPartition = await fetch((summary.body.max_lag_partition as { related: string }).related);
    expect(await maxLagPartition.json()).toMatchObject({ kind: 'KafkaPartition', topic_name: topic, partition_id: 0 });
  });
});
