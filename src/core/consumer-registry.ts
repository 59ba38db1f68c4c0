/**
 * The consumer instances this server hosts, shared by every dialect that has them: created explicitly (v2) or on
 * first use (Upstash), bounded in number, closed when idle for too long, and closed cleanly on shutdown. An
 * instance belongs to the user who created it: every lookup on behalf of a caller checks that here, in one place.
 * Placement decides which node of a deployment may create one (a claim in the directory) and hears when one is gone.
 */
import { DomainError } from '../errors/domain-error.js';
import { ConsumerInstance } from './consumer-instance.js';
import type { AssignmentSupport, ConsumerInstanceConfig } from './consumer-instance.js';
import { StandalonePlacement } from './instance-placement.js';
import type { InstancePlacement } from './instance-placement.js';
import type { GroupConsumerFactory } from './model.js';
import type { InstanceSummary } from './placement-ports.js';
import { NO_METER } from './traffic-meter.js';
import type { TrafficMeter } from './traffic-meter.js';

export type { InstanceSummary } from './placement-ports.js';

export interface RegistryLimits {
  readonly maxInstances: number;
  /** Instances one user (the authenticated principal's username) may have at once. */
  readonly maxInstancesPerUser: number;
  readonly idleTimeoutMs: number;
}

/** Who asks for an instance (an authenticated principal): its username, and whether it has `admin`. */
export interface InstanceCaller {
  readonly username: string;
  readonly permission: string;
}

const keyOf = (group: string, name: string): string => `${group}\u0000${name}`;

/** The registry as one dialect's handlers use it (see ConsumerRegistry.forDialect). */
export type ConsumerInstances = Pick<ConsumerRegistry, 'create' | 'acquire' | 'get' | 'delete' | 'list' | 'listEverywhere'>;

function requireOwner(instance: ConsumerInstance, caller: InstanceCaller): void {
  if (instance.owner === caller.username) return;
  throw new DomainError(
    'forbidden',
    `Consumer instance '${instance.name}' of group '${instance.group}' belongs to another user; user '${caller.username}' may not use it.`,
  );
}

export class ConsumerRegistry {
  private readonly instances = new Map<string, ConsumerInstance>();
  /** Subscriptions being changed by `acquire`: later calls for the same instance wait for the same promise. */
  private readonly pending = new Map<string, Promise<ConsumerInstance>>();
  /** Instances being claimed, by key, and who asked. */
  private readonly creating = new Map<string, string>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly factory: GroupConsumerFactory,
    private readonly support: AssignmentSupport,
    private readonly limits: RegistryLimits,
    private readonly onBackgroundError: (error: unknown) => void,
    private readonly placement: InstancePlacement = new StandalonePlacement(),
  ) {
    this.sweeper = setInterval(() => void this.closeIdle(), Math.max(1000, Math.min(30_000, limits.idleTimeoutMs / 4)));
    this.sweeper.unref();
    placement.attach({
      hosts: (group, name) => this.hosts(keyOf(group, name)),
      drop: (group, name) => this.remove(keyOf(group, name), false),
      list: () => this.list(),
    });
  }

  get size(): number {
    return this.instances.size;
  }

  /**
   * The registry for one dialect's handlers: the instances they create count the records they hand out under that
   * dialect's `meter` (an instance created by one dialect and read through the other stays counted under the first).
   */
  forDialect(meter: TrafficMeter): ConsumerInstances {
    return {
      create: (group, name, config, caller) => this.create(group, name, config, caller, meter),
      acquire: (group, name, topics, config, caller) => this.acquire(group, name, topics, config, caller, meter),
      get: (group, name, caller) => this.get(group, name, caller),
      delete: (group, name, caller) => this.delete(group, name, caller),
      list: () => this.list(),
      listEverywhere: () => this.listEverywhere(),
    };
  }

  /**
   * A new, unsubscribed instance owned by the caller; 40902 when the group already has one by that name, here or on
   * another node of the deployment.
   */
  async create(
    group: string,
    name: string,
    config: ConsumerInstanceConfig,
    caller: InstanceCaller,
    meter: TrafficMeter = NO_METER,
  ): Promise<ConsumerInstance> {
    const owner = caller.username;
    const key = keyOf(group, name);
    const exists = (): DomainError =>
      new DomainError('consumer_already_exists', `Consumer with specified consumer ID '${name}' already exists in consumer group '${group}'.`);
    if (this.instances.has(key) || this.creating.has(key)) throw exists();
    if (this.instances.size + this.creating.size >= this.limits.maxInstances) {
      throw new DomainError('limit_exceeded', `This server already hosts ${this.limits.maxInstances} consumer instances (consumer.instances.max).`);
    }
    if (this.countOwnedBy(owner) >= this.limits.maxInstancesPerUser) {
      throw new DomainError(
        'limit_exceeded',
        `User '${owner}' already has ${this.limits.maxInstancesPerUser} consumer instances (consumer.instances.max.per.user); delete one or let it expire.`,
      );
    }
    this.creating.set(key, owner);
    try {
      if (!(await this.placement.claim(group, name))) throw exists();
    } finally {
      this.creating.delete(key);
    }
    const instance = new ConsumerInstance(group, name, owner, config, this.factory, this.support, this.onBackgroundError, meter);
    this.instances.set(key, instance);
    return instance;
  }

  /** The caller's instance subscribed to `topics`: created if missing, re-subscribed if it followed other topics. */
  async acquire(
    group: string,
    name: string,
    topics: readonly string[],
    config: ConsumerInstanceConfig,
    caller: InstanceCaller,
    meter: TrafficMeter = NO_METER,
  ): Promise<ConsumerInstance> {
    const key = keyOf(group, name);
    const existing = this.instances.get(key);
    if (existing) requireOwner(existing, caller);
    const pending = this.pending.get(key);
    // A pending creation is not in `instances` yet (its claim is out): its owner is checked once it is there.
    if (pending) return existing ? pending : pending.then((instance) => (requireOwner(instance, caller), instance));
    if (existing?.sameTopics(topics)) return existing;
    const subscribing = (async () => {
      const instance = existing ?? (await this.create(group, name, config, caller, meter));
      try {
        await instance.subscribe(topics);
      } catch (error) {
        if (!existing) await this.remove(key);
        throw error;
      }
      return instance;
    })().finally(() => this.pending.delete(key));
    this.pending.set(key, subscribing);
    return subscribing;
  }

  /** The caller's instance (404 when there is none, 403 when it is another user's). */
  get(group: string, name: string, caller: InstanceCaller): ConsumerInstance {
    const instance = this.find(group, name);
    requireOwner(instance, caller);
    instance.lastUsed = Date.now();
    return instance;
  }

  /** Closes the caller's instance; a caller with `admin` may close anyone's. */
  async delete(group: string, name: string, caller: InstanceCaller): Promise<void> {
    const instance = this.find(group, name);
    if (caller.permission !== 'admin') requireOwner(instance, caller);
    await this.remove(keyOf(group, name));
  }

  private find(group: string, name: string): ConsumerInstance {
    const instance = this.instances.get(keyOf(group, name));
    if (!instance) throw new DomainError('consumer_instance_not_found', `Consumer instance '${name}' of group '${group}' not found.`);
    return instance;
  }

  list(): InstanceSummary[] {
    return [...this.instances.values()].map((i) => ({ group: i.group, name: i.name, topics: i.topics, assignment: i.assignment() }));
  }

  /** The instances of every node of the deployment, each once. */
  async listEverywhere(): Promise<InstanceSummary[]> {
    const all = new Map<string, InstanceSummary>();
    for (const summary of [...this.list(), ...(await this.placement.peerInstances())]) {
      const key = keyOf(summary.group, summary.name);
      if (!all.has(key)) all.set(key, summary);
    }
    return [...all.values()];
  }

  private hosts(key: string): boolean {
    return this.instances.has(key) || this.creating.has(key) || this.pending.has(key);
  }

  private countOwnedBy(owner: string): number {
    let count = 0;
    for (const instance of this.instances.values()) if (instance.owner === owner) count++;
    for (const o of this.creating.values()) if (o === owner) count++;
    return count;
  }

  async closeIdle(now = Date.now()): Promise<number> {
    const idle = [...this.instances.entries()].filter(([key, i]) => now - i.lastUsed > this.limits.idleTimeoutMs && !this.pending.has(key));
    await Promise.all(idle.map(([key]) => this.remove(key)));
    return idle.length;
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.instances.keys()].map((key) => this.remove(key)));
  }

  /** Closes the instance; `release`: and withdraws its claim (not when placement took it away). */
  private async remove(key: string, release = true): Promise<void> {
    const instance = this.instances.get(key);
    if (!instance) return;
    this.instances.delete(key);
    await instance.close().catch(this.onBackgroundError);
    if (release) await this.placement.release(instance.group, instance.name).catch(this.onBackgroundError);
  }
}
