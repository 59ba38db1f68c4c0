/** Confluent v3: topics (list, create, get). */
import type { OperationHandlers } from '../../../generated/operations.js';
import { requireAccess, sees } from '../../auth/principal.js';
import type { Services } from '../../core/services.js';
import type { RequestContext } from '../../server/request-context.js';
import { V3Resources } from './resources.js';

type V3TopicHandlers = Pick<
  OperationHandlers<RequestContext>,
  'v3ListTopics' | 'v3CreateTopic' | 'v3GetTopic' | 'v3UpdatePartitionCount' | 'v3DeleteTopic'
>;

export function createV3TopicHandlers(services: Services): V3TopicHandlers {
  return {
    v3ListTopics: async ({ params }, ctx) => {
      const { clusterId } = await services.cluster.get(params.cluster_id);
      const resources = new V3Resources(ctx.links);
      const topics = await services.topics.list();
      return {
        status: 200,
        body: {
          kind: 'KafkaTopicList',
          metadata: resources.collectionMetadata('clusters', clusterId, 'topics'),
          data: topics.filter((t) => sees(ctx.principal, t.name)).map((t) => resources.topic(clusterId, t)),
        },
      };
    },
    v3CreateTopic: async ({ params, body }, ctx) => {
      requireAccess(ctx.principal, 'admin', [body.topic_name]);
      const { clusterId } = await services.cluster.get(params.cluster_id);
      const topic = await services.topics.create({
        name: body.topic_name,
        validateOnly: body.validate_only ?? false,
        ...(body.partitions_count === undefined ? {} : { partitionsCount: body.partitions_count }),
        ...(body.replication_factor === undefined ? {} : { replicationFactor: body.replication_factor }),
        ...(body.replicas_assignments === undefined
          ? {}
          : { replicasAssignments: body.replicas_assignments.map((a) => ({ partitionId: a.partition_id, brokerIds: a.broker_ids })) }),
        ...(body.configs === undefined ? {} : { configs: body.configs.map((c) => ({ name: c.name, value: c.value ?? null })) }),
      });
      const resource = new V3Resources(ctx.links).topic(clusterId, topic);
      if (body.validate_only === true) return { status: 200, body: resource };
      return { status: 201, body: resource, headers: { Location: resource.metadata.self } };
    },
    v3UpdatePartitionCount: async ({ params, body }, ctx) => {
      const { clusterId } = await services.cluster.get(params.cluster_id);
      const topic = await services.topics.increasePartitions(params.topic_name, body.partitions_count);
      return { status: 200, body: new V3Resources(ctx.links).topic(clusterId, topic) };
    },
    v3DeleteTopic: async ({ params }) => {
      await services.cluster.get(params.cluster_id);
      await services.topics.delete(params.topic_name);
      return { status: 204, body: undefined };
    },
    v3GetTopic: async ({ params }, ctx) => {
      const { clusterId } = await services.cluster.get(params.cluster_id);
      const topic = await services.topics.get(params.topic_name);
      return { status: 200, body: new V3Resources(ctx.links).topic(clusterId, topic) };
    },
  };
}
