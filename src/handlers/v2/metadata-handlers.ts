/** Confluent v2: the root, topics, partitions, partition offsets and brokers. */
import type { components } from '../../../generated/openapi-types.js';
import type { OperationHandlers } from '../../../generated/operations.js';
import { sees } from '../../auth/principal.js';
import type { PartitionInfo } from '../../core/model.js';
import type { Services } from '../../core/services.js';
import { DomainError } from '../../errors/domain-error.js';
import type { RequestContext } from '../../server/request-context.js';

type MetadataHandlers = Pick<
  OperationHandlers<RequestContext>,
  'v2GetRoot' | 'v2ListTopics' | 'v2GetTopic' | 'v2ListPartitions' | 'v2GetPartition' | 'v2GetPartitionOffsets' | 'v2ListBrokers'
>;

function toPartition(p: PartitionInfo): components['schemas']['Partition'] {
  return {
    partition: p.partitionId,
    leader: p.leader,
    replicas: p.replicas.map((broker) => ({ broker, leader: broker === p.leader, in_sync: p.inSyncReplicas.includes(broker) })),
  };
}

export function createV2MetadataHandlers(services: Services): MetadataHandlers {
  const partitionOf = async (topicName: string, partitionId: number): Promise<PartitionInfo> => {
    const topic = await services.topics.get(topicName);
    const partition = topic.partitions.find((p) => p.partitionId === partitionId);
    if (!partition) throw new DomainError('partition_not_found', `Partition ${partitionId} of topic '${topicName}' not found.`);
    return partition;
  };
  return {
    v2GetRoot: async () => ({ status: 200, body: {} }),
    v2ListTopics: async (_input, ctx) => {
      const topics = await services.topics.list();
      return { status: 200, body: topics.map((t) => t.name).filter((name) => sees(ctx.principal, name)) };
    },
    v2GetTopic: async ({ params }) => {
      const topic = await services.topics.get(params.topic_name);
      // Every config with its value, defaults included, as Confluent's v2 lists them.
      const entries = await services.configs.list({ kind: 'topic', name: topic.name });
      const configs = Object.fromEntries(entries.map((e) => [e.name, e.value]));
      return { status: 200, body: { name: topic.name, configs, partitions: topic.partitions.map(toPartition) } };
    },
    v2ListPartitions: async ({ params }) => {
      const topic = await services.topics.get(params.topic_name);
      return { status: 200, body: topic.partitions.map(toPartition) };
    },
    v2GetPartition: async ({ params }) => ({ status: 200, body: toPartition(await partitionOf(params.topic_name, params.partition_id)) }),
    v2GetPartitionOffsets: async ({ params }) => {
      await partitionOf(params.topic_name, params.partition_id);
      const tp = [{ topic: params.topic_name, partition: params.partition_id }];
      const [[earliest], [latest]] = await Promise.all([services.offsets.at('earliest', tp), services.offsets.at('latest', tp)]);
      return { status: 200, body: { beginning_offset: Number(earliest!.offset), end_offset: Number(latest!.offset) } };
    },
    v2ListBrokers: async () => {
      const cluster = await services.cluster.describe();
      return { status: 200, body: { brokers: cluster.brokers.map((b) => b.brokerId) } };
    },
  };
}
