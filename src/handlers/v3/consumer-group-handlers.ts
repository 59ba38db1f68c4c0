/** Confluent v3: consumer groups, their consumers, lags and lag summary. */
import type { components } from '../../../generated/openapi-types.js';
import type { OperationHandlers } from '../../../generated/operations.js';
import type { PartitionLag } from '../../core/consumer-group-service.js';
import type { GroupDescription, GroupMember } from '../../core/model.js';
import type { Services } from '../../core/services.js';
import { DomainError } from '../../errors/domain-error.js';
import type { RequestContext } from '../../server/request-context.js';
import { V3Resources } from './resources.js';

type Schemas = components['schemas'];
type GroupHandlers = Pick<
  OperationHandlers<RequestContext>,
  | 'v3ListConsumerGroups' | 'v3GetConsumerGroup' | 'v3ListConsumers' | 'v3GetConsumer' | 'v3ListConsumerAssignments'
  | 'v3GetConsumerAssignment' | 'v3ListConsumerLags' | 'v3GetConsumerLag' | 'v3GetConsumerGroupLagSummary'
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
    type: g.type,
    // Only a CONSUMER (KIP-848) group can have members of both protocols.
    is_mixed_consumer_group: false,
    coordinator: r.related(clusterId, 'brokers', String(g.coordinatorId)),
    consumers: r.related(clusterId, 'consumer-groups', g.groupId, 'consumers'),
    lag_summary: r.related(clusterId, 'consumer-groups', g.groupId, 'lag-summary'),
  };
}

function consumerResource(r: V3Resources, clusterId: string, groupId: string, m: GroupMember): Schemas['KafkaConsumer'] {
  const base = ['consumer-groups', groupId, 'consumers', m.memberId];
  return {
    kind: 'KafkaConsumer',
    metadata: { self: r.clusterUrl(clusterId, ...base), resource_name: `crn:///kafka=${clusterId}/consumer-group=${groupId}/consumer=${m.memberId}` },
    cluster_id: clusterId,
    consumer_group_id: groupId,
    consumer_id: m.memberId,
    instance_id: m.instanceId,
    client_id: m.clientId,
    assignments: r.related(clusterId, ...base, 'assignments'),
  };
}

function assignmentResource(r: V3Resources, clusterId: string, groupId: string, memberId: string, topic: string, partition: number): Schemas['KafkaConsumerAssignment'] {
  const p = String(partition);
  return {
    kind: 'KafkaConsumerAssignment',
    metadata: {
      self: r.clusterUrl(clusterId, 'consumer-groups', groupId, 'consumers', memberId, 'assignments', topic, 'partitions', p),
      resource_name: `crn:///kafka=${clusterId}/consumer-group=${groupId}/consumer=${memberId}/assignment=${topic}/partition=${p}`,
    },
    cluster_id: clusterId,
    consumer_group_id: groupId,
    consumer_id: memberId,
    topic_name: topic,
    partition_id: partition,
    partition: r.related(clusterId, 'topics', topic, 'partitions', p),
    lag: r.related(clusterId, 'consumer-groups', groupId, 'lags', topic, 'partitions', p),
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
  const memberOf = async (clusterIdParam: string, groupId: string, memberId: string) => {
    const { clusterId } = await services.cluster.get(clusterIdParam);
    const group = await services.groups.get(groupId);
    const member = group.members.find((m) => m.memberId === memberId);
    if (!member) throw new DomainError('route_not_found', `Consumer '${memberId}' of group '${groupId}' cannot be found.`);
    return { clusterId, member };
  };
  return {
    v3GetConsumer: async ({ params }, ctx) => {
      const { clusterId, member } = await memberOf(params.cluster_id, params.consumer_group_id, params.consumer_id);
      return { status: 200, body: consumerResource(new V3Resources(ctx.links), clusterId, params.consumer_group_id, member) };
    },
    v3ListConsumerAssignments: async ({ params }, ctx) => {
      const { clusterId, member } = await memberOf(params.cluster_id, params.consumer_group_id, params.consumer_id);
      const r = new V3Resources(ctx.links);
      return {
        status: 200,
        body: {
          kind: 'KafkaConsumerAssignmentList',
          metadata: r.collectionMetadata('clusters', clusterId, 'consumer-groups', params.consumer_group_id, 'consumers', member.memberId, 'assignments'),
          data: member.assignment.flatMap((a) => a.partitions.map((p) => assignmentResource(r, clusterId, params.consumer_group_id, member.memberId, a.topic, p))),
        },
      };
    },
    v3GetConsumerAssignment: async ({ params }, ctx) => {
      const { clusterId, member } = await memberOf(params.cluster_id, params.consumer_group_id, params.consumer_id);
      const assigned = member.assignment.some((a) => a.topic === params.topic_name && a.partitions.includes(params.partition_id));
      if (!assigned) throw new DomainError('route_not_found', `${params.topic_name}-${params.partition_id} is not assigned to consumer '${member.memberId}'.`);
      return { status: 200, body: assignmentResource(new V3Resources(ctx.links), clusterId, params.consumer_group_id, member.memberId, params.topic_name, params.partition_id) };
    },
    v3GetConsumerLag: async ({ params }, ctx) => {
      const { clusterId } = await services.cluster.get(params.cluster_id);
      const lag = (await services.groups.lags(params.consumer_group_id)).find((l) => l.topic === params.topic_name && l.partition === params.partition_id);
      if (!lag) throw new DomainError('route_not_found', `Group '${params.consumer_group_id}' has committed no offset for ${params.topic_name}-${params.partition_id}.`);
      return { status: 200, body: lagResource(new V3Resources(ctx.links), clusterId, params.consumer_group_id, lag) };
    },
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
          data: group.members.map((m) => consumerResource(r, clusterId, group.groupId, m)),
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
                max_lag_consumer: r.related(clusterId, 'consumer-groups', groupId, 'consumers', max.member?.memberId ?? ''),
                max_lag_partition: r.related(clusterId, 'topics', max.topic, 'partitions', String(max.partition)),
              }
            : {}),
          max_lag: Number(max?.lag ?? 0n),
          total_lag: Number(total),
        },
      };
    },
  };
}
