/** Confluent v3: configs of one broker. */
import type { OperationHandlers } from '../../../generated/operations.js';
import type { ConfigResource } from '../../core/model.js';
import type { Services } from '../../core/services.js';
import type { RequestContext } from '../../server/request-context.js';
import { configChanges } from './config-changes.js';
import { V3Resources } from './resources.js';

type BrokerConfigHandlers = Pick<
  OperationHandlers<RequestContext>,
  'v3ListBrokerConfigs' | 'v3GetBrokerConfig' | 'v3UpdateBrokerConfig' | 'v3ResetBrokerConfig' | 'v3AlterBrokerConfigs' | 'v3ListAllBrokerConfigs'
>;

export function createV3BrokerConfigHandlers(services: Services): BrokerConfigHandlers {
  const broker = async (clusterIdParam: string, brokerId: number): Promise<{ clusterId: string; resource: ConfigResource }> => {
    const { cluster } = await services.cluster.getBroker(clusterIdParam, brokerId);
    return { clusterId: cluster.clusterId, resource: { kind: 'broker', brokerId } };
  };
  const noContent = { status: 204 as const, body: undefined };
  return {
    v3ListAllBrokerConfigs: async ({ params }, ctx) => {
      const cluster = await services.cluster.get(params.cluster_id);
      const r = new V3Resources(ctx.links);
      const perBroker = await Promise.all(
        cluster.brokers.map(async (b) => (await services.configs.list({ kind: 'broker', brokerId: b.brokerId })).map((c) => r.brokerConfig(cluster.clusterId, b.brokerId, c))),
      );
      return { status: 200, body: { kind: 'KafkaBrokerConfigList', metadata: r.collectionMetadata('clusters', cluster.clusterId, 'brokers', '-', 'configs'), data: perBroker.flat() } };
    },
    v3ListBrokerConfigs: async ({ params }, ctx) => {
      const { clusterId, resource } = await broker(params.cluster_id, params.broker_id);
      const r = new V3Resources(ctx.links);
      const configs = await services.configs.list(resource);
      return {
        status: 200,
        body: {
          kind: 'KafkaBrokerConfigList',
          metadata: r.collectionMetadata('clusters', clusterId, 'brokers', String(params.broker_id), 'configs'),
          data: configs.map((c) => r.brokerConfig(clusterId, params.broker_id, c)),
        },
      };
    },
    v3GetBrokerConfig: async ({ params }, ctx) => {
      const { clusterId, resource } = await broker(params.cluster_id, params.broker_id);
      return { status: 200, body: new V3Resources(ctx.links).brokerConfig(clusterId, params.broker_id, await services.configs.get(resource, params.name)) };
    },
    v3UpdateBrokerConfig: async ({ params, body }) => {
      const { resource } = await broker(params.cluster_id, params.broker_id);
      await services.configs.alterOne(resource, { name: params.name, value: body.value });
      return noContent;
    },
    v3ResetBrokerConfig: async ({ params }) => {
      const { resource } = await broker(params.cluster_id, params.broker_id);
      await services.configs.alterOne(resource, { name: params.name, value: null });
      return noContent;
    },
    v3AlterBrokerConfigs: async ({ params, body }) => {
      const { resource } = await broker(params.cluster_id, params.broker_id);
      await services.configs.alter(resource, configChanges(body.data), body.validate_only ?? false);
      return noContent;
    },
  };
}
