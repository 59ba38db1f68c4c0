/** Every operation's handler, gathered into the one map the spec demands (a missing one fails `tsc`). */
import type { OperationHandlers } from '../../generated/operations.js';
import type { Dialect } from '../../generated/operations.js';
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

/** Each dialect's handlers get that dialect's services (see Services). */
export function createHandlers(servicesOf: Readonly<Record<Dialect, Services>>, resources: OpsResources, settings: HandlerSettings): OperationHandlers<RequestContext> {
  const { ops, v2, v3, upstash } = servicesOf;
  return {
    ...createOpsHandlers(ops, resources),
    ...createV2MetadataHandlers(v2),
    ...createV2ProduceHandlers(v2),
    ...createV2ConsumerHandlers(v2, settings.v2Consumer),
    ...createV2PositionHandlers(v2),
    ...createV3ClusterHandlers(v3),
    ...createV3TopicHandlers(v3),
    ...createV3TopicConfigHandlers(v3),
    ...createV3BrokerHandlers(v3),
    ...createV3AclHandlers(v3),
    ...createV3BrokerConfigHandlers(v3),
    ...createV3ClusterConfigHandlers(v3),
    ...createV3ConsumerGroupHandlers(v3),
    ...createV3PartitionHandlers(v3),
    ...createV3ReassignmentHandlers(v3),
    ...createV3ProduceHandlers(v3, settings.v3Produce),
    ...createV3PartitionRecordHandlers(v3, settings.upstashConsume.timeoutMs),
    ...createV1MessageHandlers(v2, settings.upstashConsume.timeoutMs),
    ...createUpstashTopicHandlers(upstash),
    ...createUpstashProduceHandlers(upstash),
    ...createUpstashFetchHandlers(upstash, settings.upstashConsume.timeoutMs),
    ...createUpstashConsumeHandlers(upstash, settings.upstashConsume),
  };
}
