/** The core services the handlers of every dialect share. */
import type { ClusterService } from './cluster-service.js';
import type { TopicService } from './topic-service.js';

export interface Services {
  readonly cluster: ClusterService;
  readonly topics: TopicService;
}
