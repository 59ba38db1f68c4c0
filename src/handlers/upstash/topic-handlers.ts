/** Upstash: topic metadata. */
import type { OperationHandlers } from '../../../generated/operations.js';
import type { Services } from '../../core/services.js';
import type { RequestContext } from '../../server/request-context.js';

type UpstashTopicHandlers = Pick<OperationHandlers<RequestContext>, 'upstashListTopics'>;

export function createUpstashTopicHandlers(services: Services): UpstashTopicHandlers {
  return {
    upstashListTopics: async () => {
      const topics = await services.topics.list();
      return { status: 200, body: Object.fromEntries(topics.map((t) => [t.name, t.partitions.length])) };
    },
  };
}
