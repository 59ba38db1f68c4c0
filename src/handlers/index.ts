/** Every operation's handler, gathered into the one map the spec demands (a missing one fails `tsc`). */
import type { OperationHandlers } from '../../generated/operations.js';
import type { Services } from '../core/services.js';
import type { RequestContext } from '../server/request-context.js';
import { createOpsHandlers } from './ops/ops-handlers.js';
import type { OpsResources } from './ops/ops-handlers.js';
import { createUpstashConsumeHandlers } from './upstash/consume-handlers.js';
import type { UpstashConsumeDefaults } from './upstash/consume-handlers.js';
import { createUpstashFetchHandlers } from './upstash/fetch-handlers.js';
import { createUpstashProduceHandlers } from './upstash/produce-handlers.js';
import { createUpstashTopicHandlers } from './upstash/topic-handlers.js';
import { createV2TopicHandlers } from './v2/topic-handlers.js';
import { createV3ClusterHandlers } from './v3/cluster-handlers.js';
import { createV3TopicHandlers } from './v3/topic-handlers.js';

export interface HandlerSettings {
  readonly upstashConsume: UpstashConsumeDefaults;
}

export function createHandlers(services: Services, resources: OpsResources, settings: HandlerSettings): OperationHandlers<RequestContext> {
  return {
    ...createOpsHandlers(services, resources),
    ...createV2TopicHandlers(services),
    ...createV3ClusterHandlers(services),
    ...createV3TopicHandlers(services),
    ...createUpstashTopicHandlers(services),
    ...createUpstashProduceHandlers(services),
    ...createUpstashFetchHandlers(services, settings.upstashConsume.timeoutMs),
    ...createUpstashConsumeHandlers(services, settings.upstashConsume),
  };
}
