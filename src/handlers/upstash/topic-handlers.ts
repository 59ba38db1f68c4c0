/** Upstash: topic metadata. */
import type { OperationHandlers } from '../../../generated/operations.js';
import { may } from '../../auth/principal.js';
import type { Services } from '../../core/services.js';
import type { RequestContext } from '../../server/request-context.js';

type UpstashTopicHandlers = Pick<OperationHandlers<RequestContext>, 'upstashListTopics'>;

export function createUpstashTopicHandlers(services: Services): UpstashTopicHandlers {
  return {
    upstashListTopics: async (_input, ctx) => {
      // A user sees the topics they may produce to or consume from.
      const topics = (await services.topics.list()).filter((t) => may(ctx.principal, 'produce', t.name) || may(ctx.principal, 'consume', t.name));
      return { status: 200, body: Object.fromEntries(topics.map((t) => [t.name, t.partitions.length])) };
    },
  };
}
