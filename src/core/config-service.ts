/** Configs of topics, brokers and the cluster (broker defaults set cluster-wide): read, set, reset. */
import { DomainError } from '../errors/domain-error.js';
import type { ClusterAdminPort, ConfigChange, ConfigEntry, ConfigResource } from './model.js';

function label(resource: ConfigResource): string {
  if (resource.kind === 'cluster') return 'the cluster';
  return resource.kind === 'topic' ? `topic '${resource.name}'` : `broker ${resource.brokerId}`;
}

export class ConfigService {
  constructor(private readonly admin: ClusterAdminPort) {}

  /** For the cluster: only the configs that have a cluster-wide value. */
  list(resource: ConfigResource): Promise<ConfigEntry[]> {
    return this.admin.describeConfigs(resource);
  }

  async get(resource: ConfigResource, name: string): Promise<ConfigEntry> {
    const entry = (await this.list(resource)).find((c) => c.name === name);
    if (entry) return entry;
    if (resource.kind === 'cluster') throw new DomainError('route_not_found', `Config '${name}' has no cluster-wide value.`);
    throw new DomainError('route_not_found', `Config '${name}' of ${label(resource)} cannot be found.`);
  }

  /** One config named in the URL: an unknown name is a resource that does not exist (404). */
  alterOne(resource: ConfigResource, change: ConfigChange): Promise<void> {
    return this.alterKnown(resource, [change], false, (name) => new DomainError('route_not_found', `Config '${name}' of ${label(resource)} cannot be found.`));
  }

  /** Configs named in a request body (`:alter`): an unknown name is bad input (400); the broker validates the values. */
  alter(resource: ConfigResource, changes: readonly ConfigChange[], validateOnly = false): Promise<void> {
    return this.alterKnown(resource, changes, validateOnly, (name) => new DomainError('bad_request', `Unknown config '${name}' for ${label(resource)}.`));
  }

  private async alterKnown(resource: ConfigResource, changes: readonly ConfigChange[], validateOnly: boolean, unknownError: (name: string) => DomainError): Promise<void> {
    const known = new Set((await this.list(await this.namesOf(resource))).map((c) => c.name));
    const unknown = changes.find((c) => !known.has(c.name));
    if (unknown) throw unknownError(unknown.name);
    await this.admin.alterConfigs(resource, changes, validateOnly);
  }

  /** The resource whose config list names every config this one may set: a broker's, for the cluster. */
  private async namesOf(resource: ConfigResource): Promise<ConfigResource> {
    if (resource.kind !== 'cluster') return resource;
    const { controllerId, brokers } = await this.admin.describeCluster();
    return { kind: 'broker', brokerId: controllerId ?? brokers[0]?.brokerId ?? 0 };
  }
}
