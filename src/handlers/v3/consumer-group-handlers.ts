/** Confluent v3: consumer groups, their consumers, lags and lag summary. */
import type { components } from '../../../generated/openapi-types.js';
import type { OperationHandlers } from '../../../generated/operations.js';
import type { PartitionLag } from '../../core/consumer-group-service.js';
import type { GroupDescription } from '../../core/model.js';
import type { Services } from '../../core/services.js';
import type { RequestContext } from '../../server/request-context.js';
import { V3Resources } from './resources.js';

type Schemas = components['schemas'];
type GroupHandlers = Pick<
  OperationHandlers<RequestContext>,
  'v3ListConsumerGroups' | 'v3GetConsumerGroup' | 'v3ListConsumers' | 'v3ListConsumerLags' | 'v3GetConsumerGroupLagSummary'
>;

const STATES: Record<string, Schemas['KafkaConsumerGroup']['state']> = {
  Stable: 'STABLE',
  Empty: 'EMPTY',
  PreparingRebalance: 'PREPARING_REBALANCE',
  CompletingRebalance: 'COMPLETING_REBALANCE',
  Dead: 'DEAD',
};

function groupResource(r: V3Resources, clusterId: string, g: GroupDescription): Schemas['KafkaConsumerGroup'] {
  return {
    kind: 'KafkaConsumerGroup',
    metadata: { self: r.clusterUrl(clusterId, 'consumer-groups', g.groupId), resource_name: `crn:///kafka=${clusterId}/consumer-group=${g.groupId}` },
    cluster_id: clusterId,
    consumer_group_id: g.groupId,
    is_simple: g.protocolType === '',
    partition_assignor: g.protocol,
    state: STATES[g.state] ?? 'UNKNOWN',
    consumers: r.related(clusterId, 'consumer-groups', g.groupId, 'consumers'),
    lag_summary: r.related(clusterId, 'consumer-groups', g.groupId, 'lag-summary'),
  };
}

function lagResource(r: V3Resources, clusterId: string, groupId: string, l: PartitionLag): Schemas['KafkaConsumerLag'] {
  const path = ['consumer-groups', groupId, 'lags', l.topic, 'partitions', String(l.partition)];
  return {
    kind: 'KafkaConsumerLag',
    metadata: { self: r.clusterUrl(clusterId, ...path), resource_name: `crn:///kafka=${clusterId}/consumer-group=${groupId}/lag=${l.topic}/partition=${l.partition}` },
    cluster_id: clusterId,
    consumer_group_id: groupId,
    topic_name: l.topic,
    partition_id: l.partition,
    current_offset: Number(l.currentOffset),
    log_end_offset: Number(l.logEndOffset),
    lag: Number(l.lag),
    consumer_id: l.member?.memberId ?? '',
    instance_id: l.member?.instanceId ?? null,
    client_id: l.member?.clientId ?? '',
  };
}

export function createV3ConsumerGroupHandlers(services: Services): GroupHandlers {
  return {
    v3ListConsumerGroups: async ({ params }, ctx) => {
      const { clusterId } = await services.cluster.get(params.cluster_id);
      const r = new V3Resources(ctx.links);
      const groups = await services.groups.describeAll();
      return {
        status: 200,
        body: { kind: 'KafkaConsumerGroupList', metadata: r.collectionMetadata('clusters', clusterId, 'consumer-groups'), data: groups.map((g) => groupResource(r, clusterId, g)) },
      };
    },
    v3GetConsumerGroup: async ({ params }, ctx) => {
      const { clusterId } = await services.cluster.get(params.cluster_id);
      return { status: 200, body: groupResource(new V3Resources(ctx.links), clusterId, await services.groups.get(params.consumer_group_id)) };
    },
    v3ListConsumers: async ({ params }, ctx) => {
      const { clusterId } = await services.cluster.get(params.cluster_id);
      const r = new V3Resources(ctx.links);
      const group = await services.groups.get(params.consumer_group_id);
      const base = ['consumer-groups', group.groupId, 'consumers'];
      return {
        status: 200,
        body: {
          kind: 'KafkaConsumerList',
          metadata: r.collectionMetadata('clusters', clusterId, ...base),
          data: group.members.map((m) => ({
            kind: 'KafkaConsumer' as const,
            metadata: { self: r.clusterUrl(clusterId, ...base, m.memberId), resource_name: `crn:///kafka=${clusterId}/consumer-group=${group.groupId}/consumer=${m.memberId}` },
            cluster_id: clusterId,
            consumer_group_id: group.groupId,
            consumer_id: m.memberId,
            instance_id: m.instanceId,
            client_id: m.clientId,
            assignments: r.related(clusterId, ...base, m.memberId, 'assignments'),
          })),
        },
      };
    },
    v3ListConsumerLags: async ({ params }, ctx) => {
      const { clusterId } = await services.cluster.get(params.cluster_id);
      const r = new V3Resources(ctx.links);
      const lags = await services.groups.lags(params.consumer_group_id);
      return {
        status: 200,
        body: {
          kind: 'KafkaConsumerLagList',
          metadata: r.collectionMetadata('clusters', clusterId, 'consumer-groups', params.consumer_group_id, 'lags'),
          data: lags.map((l) => lagResource(r, clusterId, params.consumer_group_id, l)),
        },
      };
    },
    v3GetConsumerGroupLagSummary: async ({ params }, ctx) => {
      const { clusterId } = await services.cluster.get(params.cluster_id);
      const r = new V3Resources(ctx.links);
      const groupId = params.consumer_group_id;
      const lags = await services.groups.lags(groupId);
      const max = lags.reduce<PartitionLag | undefined>((best, l) => (!best || l.lag > best.lag ? l : best), undefined);
      const total = lags.reduce((sum, l) => sum + l.lag, 0n);
      return {
        status: 200,
        body: {
          kind: 'KafkaConsumerGroupLagSummary',
          metadata: { self: r.clusterUrl(clusterId, 'consumer-groups', groupId, 'lag-summary'), resource_name: `crn:///kafka=${clusterId}/consumer-group=${groupId}/lag-summary` },
          cluster_id: clusterId,
          consumer_group_id: groupId,
          ...(max
            ? {
                max_lag_consumer_id: max.member?.memberId ?? '',
                max_lag_instance_id: max.member?.instanceId ?? null,
                max_lag_client_id: max.member?.clientId ?? '',
                max_lag_topic_name: max.topic,
                max_lag_partition_id: max.partition,
              }
            : {}),
          max_lag: Number(max?.lag ?? 0n),
          total_lag: Number(total),
        },
      };
    },
  };
}
