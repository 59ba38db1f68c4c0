/** Confluent v2: the root resource and topic metadata. */
import type { OperationHandlers } from '../../../generated/operations.js';
import type { Services } from '../../core/services.js';
import type { RequestContext } from '../../server/request-context.js';

type V2TopicHandlers = Pick<OperationHandlers<RequestContext>, 'v2GetRoot' | 'v2ListTopics'>;

export function createV2TopicHandlers(services: Services): V2TopicHandlers {
  return {
    v2GetRoot: async () => ({ status: 200, body: {} }),
    v2ListTopics: async () => {
      const topics = await services.topics.list();
      return { status: 200, body: topics.map((t) => t.name) };
    },
  };
}
