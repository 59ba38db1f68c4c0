/** Kafka ACLs: list, create, delete (a delete must name a resource type, so one call cannot wipe every ACL). */
import { DomainError } from '../errors/domain-error.js';
import type { AclAdminPort, AclEntry, AclFilter } from './model.js';

export class AclService {
  constructor(private readonly acls: AclAdminPort) {}

  list(filter: AclFilter): Promise<AclEntry[]> {
    return this.acls.listAcls(filter);
  }

  create(entries: readonly AclEntry[]): Promise<void> {
    return this.acls.createAcls(entries);
  }

  delete(filter: AclFilter): Promise<AclEntry[]> {
    if (!filter.resourceType) throw new DomainError('bad_request', 'Deleting ACLs needs a resource_type.');
    return this.acls.deleteAcls(filter);
  }
}
