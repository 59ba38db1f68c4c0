/** Confluent v3: a topic's configs — list, get, set, reset, and several at once (`configs:alter`). */
import type { OperationHandlers } from '../../../generated/operations.js';
import { sees } from '../../auth/principal.js';
import type { Services } from '../../core/services.js';
import type { RequestContext } from '../../server/request-context.js';
import { configChanges } from './config-changes.js';
import { V3Resources } from './resources.js';

type TopicConfigHandlers = Pick<
  OperationHandlers<RequestContext>,
  'v3ListTopicConfigs' | 'v3GetTopicConfig' | 'v3UpdateTopicConfig' | 'v3ResetTopicConfig' | 'v3AlterTopicConfigs' | 'v3ListAllTopicConfigs'
>;

export function createV3TopicConfigHandlers(services: Services): TopicConfigHandlers {
  return {
    v3ListAllTopicConfigs: async ({ params }, ctx) => {
      const { clusterId } = await services.cluster.get(params.cluster_id);
      const r = new V3Resources(ctx.links);
      const topics = (await services.topics.list()).filter((t) => sees(ctx.principal, t.name));
      const perTopic = await Promise.all(topics.map(async (t) => (await services.configs.list({ kind: 'topic', name: t.name })).map((c) => r.topicConfig(clusterId, t.name, c))));
      return { status: 200, body: { kind: 'KafkaTopicConfigList', metadata: r.collectionMetadata('clusters', clusterId, 'topics', '-', 'configs'), data: perTopic.flat() } };
    },
    v3ListTopicConfigs: async ({ params }, ctx) => {
      const { clusterId } = await services.cluster.get(params.cluster_id);
      const r = new V3Resources(ctx.links);
      await services.topics.get(params.topic_name);
      const configs = await services.configs.list({ kind: 'topic', name: params.topic_name });
      return {
        status: 200,
        body: {
          kind: 'KafkaTopicConfigList',
          metadata: r.collectionMetadata('clusters', clusterId, 'topics', params.topic_name, 'configs'),
          data: configs.map((c) => r.topicConfig(clusterId, params.topic_name, c)),
        },
      };
    },
    v3GetTopicConfig: async ({ params }, ctx) => {
      const { clusterId } = await services.cluster.get(params.cluster_id);
      await services.topics.get(params.topic_name);
      const config = await services.configs.get({ kind: 'topic', name: params.topic_name }, params.name);
      return { status: 200, body: new V3Resources(ctx.links).topicConfig(clusterId, params.topic_name, config) };
    },
    v3UpdateTopicConfig: async ({ params, body }) => {
      await services.cluster.get(params.cluster_id);
      await services.topics.get(params.topic_name);
      await services.configs.alterOne({ kind: 'topic', name: params.topic_name }, { name: params.name, value: body.value });
      return { status: 204, body: undefined };
    },
    v3ResetTopicConfig: async ({ params }) => {
      await services.cluster.get(params.cluster_id);
      await services.topics.get(params.topic_name);
      await services.configs.alterOne({ kind: 'topic', name: params.topic_name }, { name: params.name, value: null });
      return { status: 204, body: undefined };
    },
    v3AlterTopicConfigs: async ({ params, body }) => {
      await services.cluster.get(params.cluster_id);
      const changes = configChanges(body.data);
      await services.topics.get(params.topic_name);
      await services.configs.alter({ kind: 'topic', name: params.topic_name }, changes, body.validate_only ?? false);
      return { status: 204, body: undefined };
    },
  };
}
