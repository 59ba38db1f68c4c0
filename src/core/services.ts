/**
 * The core services the handlers of a dialect use. Each dialect gets its own set (built in proxy.ts) over the same
 * Kafka clients and consumer registry, so that what its services move is counted under its name.
 */
import type { ClusterService } from './cluster-service.js';
import type { AclService } from './acl-service.js';
import type { ConfigService } from './config-service.js';
import type { ConsumerGroupService } from './consumer-group-service.js';
import type { ConsumerInstances } from './consumer-registry.js';
import type { FetchService } from './fetch-service.js';
import type { OffsetService } from './offset-service.js';
import type { ProduceService } from './produce-service.js';
import type { SchemaService } from './schemas/schema-service.js';
import type { TopicService } from './topic-service.js';

export interface Services {
  readonly cluster: ClusterService;
  readonly topics: TopicService;
  readonly produce: ProduceService;
  readonly schemas: SchemaService;
  readonly fetch: FetchService;
  readonly consumers: ConsumerInstances;
  readonly offsets: OffsetService;
  readonly groups: ConsumerGroupService;
  readonly configs: ConfigService;
  readonly acls: AclService;
}
