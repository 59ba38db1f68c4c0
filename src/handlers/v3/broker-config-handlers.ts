/** Confluent v3: configs of one broker. */
import type { components } from '../../../generated/openapi-types.js';
import type { OperationHandlers } from '../../../generated/operations.js';
import type { ConfigEntry, ConfigResource } from '../../core/model.js';
import type { Services } from '../../core/services.js';
import type { RequestContext } from '../../server/request-context.js';
import { configChanges } from './config-changes.js';
import { V3Resources } from './resources.js';

type Schemas = components['schemas'];
type BrokerConfigHandlers = Pick<
  OperationHandlers<RequestContext>,
  'v3ListBrokerConfigs' | 'v3GetBrokerConfig' | 'v3UpdateBrokerConfig' | 'v3ResetBrokerConfig' | 'v3AlterBrokerConfigs' | 'v3ListAllBrokerConfigs'
>;

function fields(c: ConfigEntry) {
  return {
    name: c.name,
    value: c.value,
    is_default: c.isDefault,
    is_read_only: c.isReadOnly,
    is_sensitive: c.isSensitive,
    source: c.source,
    synonyms: c.synonyms.map((s) => ({ ...s })),
  };
}

function brokerConfig(r: V3Resources, clusterId: string, brokerId: number, c: ConfigEntry): Schemas['KafkaBrokerConfig'] {
  const id = String(brokerId);
  return {
    kind: 'KafkaBrokerConfig',
    metadata: { self: r.clusterUrl(clusterId, 'brokers', id, 'configs', c.name), resource_name: `crn:///kafka=${clusterId}/broker=${id}/config=${c.name}` },
    cluster_id: clusterId,
    broker_id: brokerId,
    ...fields(c),
  };
}

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
        cluster.brokers.map(async (b) => (await services.configs.list({ kind: 'broker', brokerId: b.brokerId })).map((c) => brokerConfig(r, cluster.clusterId, b.brokerId, c))),
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
          data: configs.map((c) => brokerConfig(r, clusterId, params.broker_id, c)),
        },
      };
    },
    v3GetBrokerConfig: async ({ params }, ctx) => {
      const { clusterId, resource } = await broker(params.cluster_id, params.broker_id);
      return { status: 200, body: brokerConfig(new V3Resources(ctx.links), clusterId, params.broker_id, await services.configs.get(resource, params.name)) };
    },
    v3UpdateBrokerConfig: async ({ params, body }) => {
      const { resource } = await broker(params.cluster_id, params.broker_id);
      await services.configs.alter(resource, [{ name: params.name, value: body.value }]);
      return noContent;
    },
    v3ResetBrokerConfig: async ({ params }) => {
      const { resource } = await broker(params.cluster_id, params.broker_id);
      await services.configs.alter(resource, [{ name: params.name, value: null }]);
      return noContent;
    },
    v3AlterBrokerConfigs: async ({ params, body }) => {
      const { resource } = await broker(params.cluster_id, params.broker_id);
      await services.configs.alter(resource, configChanges(body.data), body.validate_only ?? false);
      return noContent;
    },
  };
}
