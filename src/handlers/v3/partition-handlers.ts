/** Confluent v3: a topic's partitions, their offsets and replicas, and the replicas a broker holds. */
import type { OperationHandlers } from '../../../generated/operations.js';
import type { Services } from '../../core/services.js';
import { DomainError } from '../../errors/domain-error.js';
import type { RequestContext } from '../../server/request-context.js';
import { V3Resources } from './resources.js';

type PartitionHandlers = Pick<
  OperationHandlers<RequestContext>,
  'v3ListPartitions' | 'v3GetPartition' | 'v3GetPartitionOffsets' | 'v3ListReplicas' | 'v3GetReplica' | 'v3ListBrokerReplicas'
>;

export function createV3PartitionHandlers(services: Services): PartitionHandlers {
  const partitionOf = async (clusterIdParam: string, topicName: string, partitionId: number) => {
    const { clusterId } = await services.cluster.get(clusterIdParam);
    const topic = await services.topics.get(topicName);
    const partition = topic.partitions.find((p) => p.partitionId === partitionId);
    if (!partition) throw new DomainError('partition_not_found', `Partition ${partitionId} of topic '${topic.name}' not found.`);
    return { clusterId, topic, partition };
  };
  return {
    v3ListReplicas: async ({ params }, ctx) => {
      const { clusterId, topic, partition } = await partitionOf(params.cluster_id, params.topic_name, params.partition_id);
      const r = new V3Resources(ctx.links);
      return {
        status: 200,
        body: {
          kind: 'KafkaReplicaList',
          metadata: r.collectionMetadata('clusters', clusterId, 'topics', topic.name, 'partitions', String(partition.partitionId), 'replicas'),
          data: partition.replicas.map((b) => r.replica(clusterId, topic.name, partition, b)),
        },
      };
    },
    v3GetReplica: async ({ params }, ctx) => {
      const { clusterId, topic, partition } = await partitionOf(params.cluster_id, params.topic_name, params.partition_id);
      if (!partition.replicas.includes(params.broker_id)) {
        throw new DomainError('route_not_found', `Broker ${params.broker_id} holds no replica of ${topic.name}-${partition.partitionId}.`);
      }
      return { status: 200, body: new V3Resources(ctx.links).replica(clusterId, topic.name, partition, params.broker_id) };
    },
    v3ListBrokerReplicas: async ({ params }, ctx) => {
      const { cluster } = await services.cluster.getBroker(params.cluster_id, params.broker_id);
      const r = new V3Resources(ctx.links);
      const topics = await services.topics.list();
      const data = topics.flatMap((t) =>
        t.partitions.filter((p) => p.replicas.includes(params.broker_id)).map((p) => r.replica(cluster.clusterId, t.name, p, params.broker_id)),
      );
      return {
        status: 200,
        body: { kind: 'KafkaReplicaList', metadata: r.collectionMetadata('clusters', cluster.clusterId, 'brokers', String(params.broker_id), 'partition-replicas'), data },
      };
    },
    v3ListPartitions: async ({ params }, ctx) => {
      const { clusterId } = await services.cluster.get(params.cluster_id);
      const topic = await services.topics.get(params.topic_name);
      const resources = new V3Resources(ctx.links);
      return {
        status: 200,
        body: {
          kind: 'KafkaPartitionList',
          metadata: resources.collectionMetadata('clusters', clusterId, 'topics', topic.name, 'partitions'),
          data: topic.partitions.map((p) => resources.partition(clusterId, topic.name, p)),
        },
      };
    },
    v3GetPartition: async ({ params }, ctx) => {
      const { clusterId, topic, partition } = await partitionOf(params.cluster_id, params.topic_name, params.partition_id);
      return { status: 200, body: new V3Resources(ctx.links).partition(clusterId, topic.name, partition) };
    },
    v3GetPartitionOffsets: async ({ params }, ctx) => {
      const { clusterId, topic, partition } = await partitionOf(params.cluster_id, params.topic_name, params.partition_id);
      const id = String(partition.partitionId);
      const offsets = await services.topics.partitionOffsets(topic.name, partition.partitionId);
      const r = new V3Resources(ctx.links);
      return {
        status: 200,
        body: {
          kind: 'KafkaPartitionOffsets',
          metadata: {
            self: r.clusterUrl(clusterId, 'topics', topic.name, 'partitions', id, 'offset'),
            resource_name: `crn:///kafka=${clusterId}/topic=${topic.name}/partition=${id}/offset_type=earliest_and_latest`,
          },
          cluster_id: clusterId,
          topic_name: topic.name,
          partition_id: partition.partitionId,
          earliest_offset: Number(offsets.earliest),
          latest_offset: Number(offsets.latest),
        },
      };
    },
  };
}
