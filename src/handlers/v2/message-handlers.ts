/** The v1 draft's stateless read, served beside v2: messages of a partition from an offset, no consumer group. */
import type { OperationHandlers } from '../../../generated/operations.js';
import type { Services } from '../../core/services.js';
import type { RequestContext } from '../../server/request-context.js';

type MessageHandlers = Pick<OperationHandlers<RequestContext>, 'v1ReadPartitionMessages'>;

export function createV1MessageHandlers(services: Services, timeoutMs: number): MessageHandlers {
  return {
    v1ReadPartitionMessages: async ({ params, query }) => {
      const records = await services.fetch.read(
        [{ topic: params.topic_name, partition: params.partition_id, offset: String(query.offset) }],
        timeoutMs,
        query.count ?? 1,
      );
      return {
        status: 200,
        body: records.map((r) => ({
          key: r.key?.toString('base64') ?? null,
          value: r.value?.toString('base64') ?? null,
          partition: r.partition,
          offset: Number(r.offset),
        })),
      };
    },
  };
}
