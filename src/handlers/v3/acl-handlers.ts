/** Confluent v3: ACLs — list with filters, create, delete (answers what it deleted), and create in batch. */
import type { components } from '../../../generated/openapi-types.js';
import type { OperationHandlers } from '../../../generated/operations.js';
import type { AclEntry, AclFilter } from '../../core/model.js';
import type { Services } from '../../core/services.js';
import type { RequestContext } from '../../server/request-context.js';
import { V3Resources } from './resources.js';

type Schemas = components['schemas'];
type AclHandlers = Pick<OperationHandlers<RequestContext>, 'v3ListAcls' | 'v3CreateAcl' | 'v3DeleteAcls' | 'v3CreateAclsBatch'>;

interface AclQuery {
  resource_type?: string;
  resource_name?: string;
  pattern_type?: string;
  principal?: string;
  host?: string;
  operation?: string;
  permission?: string;
}

function filterOf(q: AclQuery): AclFilter {
  return {
    ...(q.resource_type ? { resourceType: q.resource_type } : {}),
    ...(q.resource_name ? { resourceName: q.resource_name } : {}),
    ...(q.pattern_type ? { patternType: q.pattern_type } : {}),
    ...(q.principal ? { principal: q.principal } : {}),
    ...(q.host ? { host: q.host } : {}),
    ...(q.operation ? { operation: q.operation } : {}),
    ...(q.permission ? { permission: q.permission } : {}),
  };
}

function entryOf(body: Schemas['CreateAclRequest']): AclEntry {
  return {
    resourceType: body.resource_type,
    resourceName: body.resource_name,
    patternType: body.pattern_type,
    principal: body.principal,
    host: body.host,
    operation: body.operation,
    permission: body.permission,
  };
}

function aclResource(r: V3Resources, clusterId: string, a: AclEntry): Schemas['KafkaAcl'] {
  const query = new URLSearchParams({
    resource_type: a.resourceType, resource_name: a.resourceName, pattern_type: a.patternType,
    principal: a.principal, host: a.host, operation: a.operation, permission: a.permission,
  });
  return {
    kind: 'KafkaAcl',
    metadata: { self: `${r.clusterUrl(clusterId, 'acls')}?${query.toString()}` },
    cluster_id: clusterId,
    resource_type: a.resourceType as Schemas['KafkaAcl']['resource_type'],
    resource_name: a.resourceName,
    pattern_type: a.patternType as Schemas['KafkaAcl']['pattern_type'],
    principal: a.principal,
    host: a.host,
    operation: a.operation as Schemas['KafkaAcl']['operation'],
    permission: a.permission as Schemas['KafkaAcl']['permission'],
  };
}

export function createV3AclHandlers(services: Services): AclHandlers {
  const list = (r: V3Resources, clusterId: string, acls: AclEntry[]): Schemas['KafkaAclList'] => ({
    kind: 'KafkaAclList',
    metadata: r.collectionMetadata('clusters', clusterId, 'acls'),
    data: acls.map((a) => aclResource(r, clusterId, a)),
  });
  return {
    v3ListAcls: async ({ params, query }, ctx) => {
      const { clusterId } = await services.cluster.get(params.cluster_id);
      return { status: 200, body: list(new V3Resources(ctx.links), clusterId, await services.acls.list(filterOf(query))) };
    },
    v3CreateAcl: async ({ params, body }) => {
      await services.cluster.get(params.cluster_id);
      await services.acls.create([entryOf(body)]);
      return { status: 201, body: undefined };
    },
    v3DeleteAcls: async ({ params, query }, ctx) => {
      const { clusterId } = await services.cluster.get(params.cluster_id);
      return { status: 200, body: list(new V3Resources(ctx.links), clusterId, await services.acls.delete(filterOf(query))) };
    },
    v3CreateAclsBatch: async ({ params, body }) => {
      await services.cluster.get(params.cluster_id);
      await services.acls.create(body.data.map(entryOf));
      return { status: 204, body: undefined };
    },
  };
}
