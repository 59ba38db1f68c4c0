/** Kafka ACLs: list, create, delete (a delete must name a resource type, so one call cannot wipe every ACL). */
import { DomainError } from '../errors/domain-error.js';
import { eventually } from './eventually.js';
import type { AclAdminPort, AclEntry, AclFilter } from './model.js';

export class AclService {
  constructor(private readonly acls: AclAdminPort) {}

  list(filter: AclFilter): Promise<AclEntry[]> {
    return this.acls.listAcls(filter);
  }

  /** Answers once every new ACL is listed. */
  async create(entries: readonly AclEntry[]): Promise<void> {
    await this.acls.createAcls(entries);
    await Promise.all(entries.map((entry) => eventually(() => this.acls.listAcls(entry), (found) => found.length > 0)));
  }

  /** Answers, with what was deleted, once none of it is listed any more. */
  async delete(filter: AclFilter): Promise<AclEntry[]> {
    if (!filter.resourceType) throw new DomainError('bad_request', 'Deleting ACLs needs a resource_type.');
    const deleted = await this.acls.deleteAcls(filter);
    if (deleted.length > 0) await eventually(() => this.acls.listAcls(filter), (left) => left.length === 0);
    return deleted;
  }
}
