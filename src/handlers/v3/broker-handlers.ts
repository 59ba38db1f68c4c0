/** Confluent v3: brokers. */
import type { OperationHandlers } from '../../../generated/operations.js';
import type { Services } from '../../core/services.js';
import type { RequestContext } from '../../server/request-context.js';
import { V3Resources } from './resources.js';

type BrokerHandlers = Pick<OperationHandlers<RequestContext>, 'v3ListBrokers' | 'v3GetBroker'>;

export function createV3BrokerHandlers(services: Services): BrokerHandlers {
  return {
    v3ListBrokers: async ({ params }, ctx) => {
      const cluster = await services.cluster.get(params.cluster_id);
      const resources = new V3Resources(ctx.links);
      return {
        status: 200,
        body: {
          kind: 'KafkaBrokerList',
          metadata: resources.collectionMetadata('clusters', cluster.clusterId, 'brokers'),
          data: cluster.brokers.map((b) => resources.broker(cluster.clusterId, b)),
        },
      };
    },
    v3GetBroker: async ({ params }, ctx) => {
      const { cluster, broker } = await services.cluster.getBroker(params.cluster_id, params.broker_id);
      return { status: 200, body: new V3Resources(ctx.links).broker(cluster.clusterId, broker) };
    },
  };
}
