/** Confluent v3: ongoing partition replica reassignments — of the cluster, of a topic, of one partition. */
import type { OperationHandlers } from '../../../generated/operations.js';
import { sees } from '../../auth/principal.js';
import type { Services } from '../../core/services.js';
import { DomainError } from '../../errors/domain-error.js';
import type { RequestContext } from '../../server/request-context.js';
import { V3Resources } from './resources.js';

type ReassignmentHandlers = Pick<
  OperationHandlers<RequestContext>,
  'v3ListAllReassignments' | 'v3ListTopicReassignments' | 'v3GetPartitionReassignment'
>;

export function createV3ReassignmentHandlers(services: Services): ReassignmentHandlers {
  return {
    v3ListAllReassignments: async ({ params }, ctx) => {
      const { clusterId } = await services.cluster.get(params.cluster_id);
      const r = new V3Resources(ctx.links);
      const data = (await services.topics.reassignments()).filter((a) => sees(ctx.principal, a.topic)).map((a) => r.reassignment(clusterId, a));
      return { status: 200, body: { kind: 'KafkaReassignmentList', metadata: r.collectionMetadata('clusters', clusterId, 'topics', '-', 'partitions', '-', 'reassignment'), data } };
    },
    v3ListTopicReassignments: async ({ params }, ctx) => {
      const { clusterId } = await services.cluster.get(params.cluster_id);
      const r = new V3Resources(ctx.links);
      const data = (await services.topics.reassignments(params.topic_name)).map((a) => r.reassignment(clusterId, a));
      return {
        status: 200,
        body: { kind: 'KafkaReassignmentList', metadata: r.collectionMetadata('clusters', clusterId, 'topics', params.topic_name, 'partitions', '-', 'reassignment'), data },
      };
    },
    v3GetPartitionReassignment: async ({ params }, ctx) => {
      const { clusterId } = await services.cluster.get(params.cluster_id);
      const ongoing = (await services.topics.reassignments(params.topic_name)).find((a) => a.partitionId === params.partition_id);
      if (!ongoing) {
        throw new DomainError('route_not_found', `Partition ${params.partition_id} of topic '${params.topic_name}' has no ongoing reassignment.`);
      }
      return { status: 200, body: new V3Resources(ctx.links).reassignment(clusterId, ongoing) };
    },
  };
}
