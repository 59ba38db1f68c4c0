/** Confluent v2 consumer positions: manual assignment, seeking, and committing / reading committed offsets. */
import type { OperationHandlers } from '../../../generated/operations.js';
import { requireAccess } from '../../auth/principal.js';
import type { Principal } from '../../auth/principal.js';
import type { TopicPartition } from '../../core/consumer-instance.js';
import type { Services } from '../../core/services.js';
import { DomainError } from '../../errors/domain-error.js';
import type { RequestContext } from '../../server/request-context.js';
import { parseIsoTimestamp } from '../wire-values.js';

type PositionHandlers = Pick<
  OperationHandlers<RequestContext>,
  'v2Assign' | 'v2GetAssignments' | 'v2Seek' | 'v2SeekToBeginning' | 'v2SeekToEnd' | 'v2CommitOffsets' | 'v2GetCommittedOffsets'
>;

/** The topics a body names must all be within the caller's consume permission (403 before anything moves). */
function requireConsume(principal: Principal, ...lists: readonly (readonly { topic: string }[] | undefined)[]): void {
  requireAccess(principal, 'consume', new Set(lists.flatMap((list) => (list ?? []).map((p) => p.topic))));
}

export function createV2PositionHandlers(services: Services): PositionHandlers {
  const seekTo = async (principal: Principal, group: string, name: string, point: 'earliest' | 'latest', partitions: readonly TopicPartition[]) => {
    requireConsume(principal, partitions);
    const instance = services.consumers.get(group, name, principal);
    const offsets = await services.offsets.at(point, partitions);
    for (const o of offsets) instance.seek(o);
    return { status: 204 as const, body: undefined };
  };
  return {
    v2Assign: async ({ params, body }, ctx) => {
      requireConsume(ctx.principal, body.partitions);
      await services.consumers.get(params.group_name, params.instance, ctx.principal).assign(body.partitions);
      return { status: 204, body: undefined };
    },
    v2GetAssignments: async ({ params }, ctx) => {
      const instance = services.consumers.get(params.group_name, params.instance, ctx.principal);
      const manual = instance.assigned();
      const partitions = manual.length > 0 ? manual : instance.assignment().flatMap((a) => a.partitions.map((partition) => ({ topic: a.topic, partition })));
      return { status: 200, body: { partitions } };
    },
    v2Seek: async ({ params, body }, ctx) => {
      requireConsume(ctx.principal, body.offsets, body.timestamps);
      const instance = services.consumers.get(params.group_name, params.instance, ctx.principal);
      for (const o of body.offsets ?? []) instance.seek({ topic: o.topic, partition: o.partition, offset: String(o.offset) });
      for (const t of body.timestamps ?? []) {
        const [found] = await services.offsets.at({ timestampMs: parseIsoTimestamp(t.timestamp, 'invalid_payload') }, [{ topic: t.topic, partition: t.partition }]);
        instance.seek(found!);
      }
      return { status: 204, body: undefined };
    },
    v2SeekToBeginning: ({ params, body }, ctx) => seekTo(ctx.principal, params.group_name, params.instance, 'earliest', body.partitions),
    v2SeekToEnd: ({ params, body }, ctx) => seekTo(ctx.principal, params.group_name, params.instance, 'latest', body.partitions),
    v2CommitOffsets: async ({ params, body }, ctx) => {
      requireConsume(ctx.principal, body?.offsets);
      const instance = services.consumers.get(params.group_name, params.instance, ctx.principal);
      // Confluent's rule: the number given is the last record consumed; the group resumes after it.
      const offsets = (body?.offsets ?? []).map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset + 1) }));
      await instance.commit(offsets);
      // Confluent's implementation answers an empty list (of {topic, partition, consumed, committed}).
      return { status: 200, body: [] };
    },
    v2GetCommittedOffsets: async ({ params, body }, ctx) => {
      services.consumers.get(params.group_name, params.instance, ctx.principal);
      // Confluent answers a committed-offsets GET without a body with its "partition not found".
      if (!body) throw new DomainError('partition_not_found', 'Name the partitions in the body: {"partitions":[{"topic":…,"partition":…}]}.');
      requireConsume(ctx.principal, body.partitions);
      const committed = await services.offsets.committed(params.group_name, body.partitions);
      return {
        status: 200,
        // As Confluent (a Java consumer's committed()): a partition with no committed offset is left out.
        body: { offsets: committed.filter((c) => c.offset !== '-1').map((c) => ({ topic: c.topic, partition: c.partition, offset: Number(c.offset), metadata: '' })) },
      };
    },
  };
}
