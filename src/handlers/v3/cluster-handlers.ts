/** Confluent v3: the cluster resource. */
import type { OperationHandlers } from '../../../generated/operations.js';
import type { Services } from '../../core/services.js';
import type { RequestContext } from '../../server/request-context.js';
import { V3Resources } from './resources.js';

type V3ClusterHandlers = Pick<OperationHandlers<RequestContext>, 'v3ListClusters' | 'v3GetCluster'>;

export function createV3ClusterHandlers(services: Services): V3ClusterHandlers {
  return {
    v3ListClusters: async (_input, ctx) => {
      const resources = new V3Resources(ctx.links);
      const cluster = await services.cluster.describe();
      return {
        status: 200,
        body: { kind: 'KafkaClusterList', metadata: resources.collectionMetadata('clusters'), data: [resources.cluster(cluster)] },
      };
    },
    v3GetCluster: async ({ params }, ctx) => {
      const cluster = await services.cluster.get(params.cluster_id);
      return { status: 200, body: new V3Resources(ctx.links).cluster(cluster) };
    },
  };
}
