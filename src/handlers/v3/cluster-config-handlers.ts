/** Confluent v3: broker configs set for the whole cluster (`/broker-configs`). */
import type { OperationHandlers } from '../../../generated/operations.js';
import type { ConfigResource } from '../../core/model.js';
import type { Services } from '../../core/services.js';
import type { RequestContext } from '../../server/request-context.js';
import { configChanges } from './config-changes.js';
import { V3Resources } from './resources.js';

type ClusterConfigHandlers = Pick<
  OperationHandlers<RequestContext>,
  'v3ListClusterConfigs' | 'v3GetClusterConfig' | 'v3UpdateClusterConfig' | 'v3ResetClusterConfig' | 'v3AlterClusterConfigs'
>;

const CLUSTER: ConfigResource = { kind: 'cluster' };

export function createV3ClusterConfigHandlers(services: Services): ClusterConfigHandlers {
  const clusterIdOf = async (param: string): Promise<string> => (await services.cluster.get(param)).clusterId;
  const noContent = { status: 204 as const, body: undefined };
  return {
    v3ListClusterConfigs: async ({ params }, ctx) => {
      const clusterId = await clusterIdOf(params.cluster_id);
      const r = new V3Resources(ctx.links);
      const data = (await services.configs.list(CLUSTER)).map((c) => r.clusterConfig(clusterId, c));
      return { status: 200, body: { kind: 'KafkaClusterConfigList', metadata: r.collectionMetadata('clusters', clusterId, 'broker-configs'), data } };
    },
    v3GetClusterConfig: async ({ params }, ctx) => {
      const clusterId = await clusterIdOf(params.cluster_id);
      return { status: 200, body: new V3Resources(ctx.links).clusterConfig(clusterId, await services.configs.get(CLUSTER, params.name)) };
    },
    v3UpdateClusterConfig: async ({ params, body }) => {
      await clusterIdOf(params.cluster_id);
      await services.configs.alterOne(CLUSTER, { name: params.name, value: body.value });
      return noContent;
    },
    v3ResetClusterConfig: async ({ params }) => {
      await clusterIdOf(params.cluster_id);
      await services.configs.alterOne(CLUSTER, { name: params.name, value: null });
      return noContent;
    },
    v3AlterClusterConfigs: async ({ params, body }) => {
      await clusterIdOf(params.cluster_id);
      await services.configs.alter(CLUSTER, configChanges(body.data), body.validate_only ?? false);
      return noContent;
    },
  };
}
