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
import { createV2ConsumerHandlers } from './v2/consumer-handlers.js';
import { createV1MessageHandlers } from './v2/message-handlers.js';
import type { V2ConsumerDefaults } from './v2/consumer-handlers.js';
import { createV2MetadataHandlers } from './v2/metadata-handlers.js';
import { createV2PositionHandlers } from './v2/position-handlers.js';
import { createV2ProduceHandlers } from './v2/produce-handlers.js';
import { createV3ClusterHandlers } from './v3/cluster-handlers.js';
import { createV3AclHandlers } from './v3/acl-handlers.js';
import { createV3BrokerConfigHandlers } from './v3/broker-config-handlers.js';
import { createV3BrokerHandlers } from './v3/broker-handlers.js';
import { createV3ClusterConfigHandlers } from './v3/cluster-config-handlers.js';
import { createV3ConsumerGroupHandlers } from './v3/consumer-group-handlers.js';
import { createV3PartitionHandlers } from './v3/partition-handlers.js';
import { createV3PartitionRecordHandlers } from './v3/partition-record-handlers.js';
import { createV3ProduceHandlers } from './v3/produce-handlers.js';
import { createV3ReassignmentHandlers } from './v3/reassignment-handlers.js';
import type { V3ProduceSettings } from './v3/produce-handlers.js';
import { createV3TopicConfigHandlers } from './v3/topic-config-handlers.js';
import { createV3TopicHandlers } from './v3/topic-handlers.js';

export interface HandlerSettings {
  readonly upstashConsume: UpstashConsumeDefaults;
  readonly v2Consumer: V2ConsumerDefaults;
  readonly v3Produce: V3ProduceSettings;
}

export function createHandlers(services: Services, resources: OpsResources, settings: HandlerSettings): OperationHandlers<RequestContext> {
  return {
    ...createOpsHandlers(services, resources),
    ...createV2MetadataHandlers(services),
    ...createV2ProduceHandlers(services),
    ...createV2ConsumerHandlers(services, settings.v2Consumer),
    ...createV2PositionHandlers(services),
    ...createV3ClusterHandlers(services),
    ...createV3TopicHandlers(services),
    ...createV3TopicConfigHandlers(services),
    ...createV3BrokerHandlers(services),
    ...createV3AclHandlers(services),
    ...createV3BrokerConfigHandlers(services),
    ...createV3ClusterConfigHandlers(services),
    ...createV3ConsumerGroupHandlers(services),
    ...createV3PartitionHandlers(services),
    ...createV3ReassignmentHandlers(services),
    ...createV3ProduceHandlers(services, settings.v3Produce),
    ...createV3PartitionRecordHandlers(services, settings.upstashConsume.timeoutMs),
    ...createV1MessageHandlers(services, settings.upstashConsume.timeoutMs),
    ...createUpstashTopicHandlers(services),
    ...createUpstashProduceHandlers(services),
    ...createUpstashFetchHandlers(services, settings.upstashConsume.timeoutMs),
    ...createUpstashConsumeHandlers(services, settings.upstashConsume),
  };
}
