/** Implements AclAdminPort with the kafkajs admin client, translating Kafka's enum names to its numbers. */
import kafkajs from 'kafkajs';
import type { Admin, AclFilter as KafkaAclFilter } from 'kafkajs';
import type { AclAdminPort, AclEntry, AclFilter } from '../core/model.js';
import { kafkaCall } from './kafka-errors.js';

const { AclResourceTypes, ResourcePatternTypes, AclOperationTypes, AclPermissionTypes } = kafkajs;

type NumberEnum = Record<string, string | number>;

function code(table: NumberEnum, name: string | undefined): number {
  return Number(table[name ?? 'ANY'] ?? table['ANY']);
}

/** kafkajs's enums are plain objects (name → number), without TypeScript's reverse mapping. */
function nameOf(table: NumberEnum, value: number): string {
  return Object.entries(table).find(([, v]) => v === value)?.[0] ?? 'UNKNOWN';
}

/** Absent names, principals and hosts match any (kafkajs sends them as null, and refuses null itself). */
function toKafkaFilter(filter: AclFilter): KafkaAclFilter {
  return {
    resourceType: code(AclResourceTypes, filter.resourceType),
    resourcePatternType: code(ResourcePatternTypes, filter.patternType),
    operation: code(AclOperationTypes, filter.operation),
    permissionType: code(AclPermissionTypes, filter.permission),
    ...(filter.resourceName === undefined ? {} : { resourceName: filter.resourceName }),
    ...(filter.principal === undefined ? {} : { principal: filter.principal }),
    ...(filter.host === undefined ? {} : { host: filter.host }),
  } as KafkaAclFilter;
}

interface RawAcl {
  resourceType: number;
  resourceName: string;
  resourcePatternType: number;
  principal: string;
  host: string;
  operation: number;
  permissionType: number;
}

function toEntry(a: RawAcl): AclEntry {
  return {
    resourceType: nameOf(AclResourceTypes, a.resourceType),
    resourceName: a.resourceName,
    patternType: nameOf(ResourcePatternTypes, a.resourcePatternType),
    principal: a.principal,
    host: a.host,
    operation: nameOf(AclOperationTypes, a.operation),
    permission: nameOf(AclPermissionTypes, a.permissionType),
  };
}

export class KafkaAclAdmin implements AclAdminPort {
  constructor(private readonly admin: Admin) {}

  listAcls(filter: AclFilter): Promise<AclEntry[]> {
    return kafkaCall('describe ACLs', async () => {
      const { resources } = await this.admin.describeAcls(toKafkaFilter(filter));
      return resources.flatMap((r) =>
        r.acls.map((a) =>
          toEntry({ resourceType: r.resourceType, resourceName: r.resourceName, resourcePatternType: r.resourcePatternType, ...a } as RawAcl),
        ),
      );
    });
  }

  createAcls(entries: readonly AclEntry[]): Promise<void> {
    return kafkaCall('create ACLs', async () => {
      await this.admin.createAcls({
        acl: entries.map((e) => ({
          resourceType: code(AclResourceTypes, e.resourceType),
          resourceName: e.resourceName,
          resourcePatternType: code(ResourcePatternTypes, e.patternType),
          principal: e.principal,
          host: e.host,
          operation: code(AclOperationTypes, e.operation),
          permissionType: code(AclPermissionTypes, e.permission),
        })) as Parameters<Admin['createAcls']>[0]['acl'],
      });
    });
  }

  deleteAcls(filter: AclFilter): Promise<AclEntry[]> {
    return kafkaCall('delete ACLs', async () => {
      const { filterResponses } = await this.admin.deleteAcls({ filters: [toKafkaFilter(filter)] });
      return filterResponses.flatMap((f) => f.matchingAcls.map((a) => toEntry(a as unknown as RawAcl)));
    });
  }
}
