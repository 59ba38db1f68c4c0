/** Confluent v3: a topic's partitions. */
import type { OperationHandlers } from '../../../generated/operations.js';
import type { Services } from '../../core/services.js';
import { DomainError } from '../../errors/domain-error.js';
import type { RequestContext } from '../../server/request-context.js';
import { V3Resources } from './resources.js';

type PartitionHandlers = Pick<OperationHandlers<RequestContext>, 'v3ListPartitions' | 'v3GetPartition'>;

export function createV3PartitionHandlers(services: Services): PartitionHandlers {
  return {
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
      const { clusterId } = await services.cluster.get(params.cluster_id);
      const topic = await services.topics.get(params.topic_name);
      const partition = topic.partitions.find((p) => p.partitionId === params.partition_id);
      if (!partition) throw new DomainError('partition_not_found', `Partition ${params.partition_id} of topic '${topic.name}' not found.`);
      return { status: 200, body: new V3Resources(ctx.links).partition(clusterId, topic.name, partition) };
    },
  };
}
