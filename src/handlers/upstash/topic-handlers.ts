/** Upstash: topic metadata. */
import type { OperationHandlers } from '../../../generated/operations.js';
import { may } from '../../auth/principal.js';
import type { Services } from '../../core/services.js';
import type { RequestContext } from '../../server/request-context.js';

type UpstashTopicHandlers = Pick<OperationHandlers<RequestContext>, 'upstashListTopics'>;

export function createUpstashTopicHandlers(services: Services): UpstashTopicHandlers {
  return {
    upstashListTopics: async (_input, ctx) => {
      // A user sees the topics they may produce to or consume from; Kafka's internal topics are not for them.
      const visible = (name: string): boolean => may(ctx.principal, 'produce', name) || may(ctx.principal, 'consume', name);
      const topics = (await services.topics.list()).filter((t) => !t.isInternal && visible(t.name));
      return { status: 200, body: Object.fromEntries(topics.map((t) => [t.name, t.partitions.length])) };
    },
  };
}
