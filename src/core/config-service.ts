/** Configs of topics and brokers: read, set, reset. */
import { DomainError } from '../errors/domain-error.js';
import type { ClusterAdminPort, ConfigChange, ConfigEntry, ConfigResource } from './model.js';

function label(resource: ConfigResource): string {
  return resource.kind === 'topic' ? `topic '${resource.name}'` : `broker ${resource.brokerId}`;
}

export class ConfigService {
  constructor(private readonly admin: ClusterAdminPort) {}

  list(resource: ConfigResource): Promise<ConfigEntry[]> {
    return this.admin.describeConfigs(resource);
  }

  async get(resource: ConfigResource, name: string): Promise<ConfigEntry> {
    const entry = (await this.list(resource)).find((c) => c.name === name);
    if (!entry) throw new DomainError('route_not_found', `Config '${name}' of ${label(resource)} cannot be found.`);
    return entry;
  }

  /** Unknown config names are refused (404); the broker validates the values (400/40002). */
  async alter(resource: ConfigResource, changes: readonly ConfigChange[], validateOnly = false): Promise<void> {
    const known = new Set((await this.list(resource)).map((c) => c.name));
    const unknown = changes.find((c) => !known.has(c.name));
    if (unknown) throw new DomainError('route_not_found', `Config '${unknown.name}' of ${label(resource)} cannot be found.`);
    await this.admin.alterConfigs(resource, changes, validateOnly);
  }
}
