/**
 * The consumer instances this server hosts, shared by every dialect that has them: created explicitly (v2) or on
 * first use (Upstash), bounded in number, closed when idle for too long, and closed cleanly on shutdown. Placement
 * decides which node of a deployment may create one (a claim in the directory) and hears when one is gone.
 */
import { DomainError } from '../errors/domain-error.js';
import { ConsumerInstance } from './consumer-instance.js';
import type { AssignmentSupport, ConsumerInstanceConfig } from './consumer-instance.js';
import { StandalonePlacement } from './instance-placement.js';
import type { InstancePlacement } from './instance-placement.js';
import type { GroupConsumerFactory } from './model.js';
import type { InstanceSummary } from './placement-ports.js';

export type { InstanceSummary } from './placement-ports.js';

export interface RegistryLimits {
  readonly maxInstances: number;
  /** Instances one user (the authenticated principal's username) may have at once. */
  readonly maxInstancesPerUser: number;
  readonly idleTimeoutMs: number;
}

const keyOf = (group: string, name: string): string => `${group}\u0000${name}`;

export class ConsumerRegistry {
  private readonly instances = new Map<string, ConsumerInstance>();
  /** Who created each instance (by key), for the per-user limit. */
  private readonly owners = new Map<string, string>();
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
   * A new, unsubscribed instance owned by `owner`; 40902 when the group already has one by that name, here or on
   * another node of the deployment.
   */
  async create(group: string, name: string, config: ConsumerInstanceConfig, owner: string): Promise<ConsumerInstance> {
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
    const instance = new ConsumerInstance(group, name, config, this.factory, this.support, this.onBackgroundError);
    this.instances.set(key, instance);
    this.owners.set(key, owner);
    return instance;
  }

  /** The instance subscribed to `topics`: created if missing, re-subscribed if it followed other topics. */
  async acquire(group: string, name: string, topics: readonly string[], config: ConsumerInstanceConfig, owner: string): Promise<ConsumerInstance> {
    const key = keyOf(group, name);
    const pending = this.pending.get(key);
    if (pending) return pending;
    const existing = this.instances.get(key);
    if (existing?.sameTopics(topics)) return existing;
    const subscribing = (async () => {
      const instance = existing ?? (await this.create(group, name, config, owner));
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

  get(group: string, name: string): ConsumerInstance {
    const instance = this.instances.get(keyOf(group, name));
    if (!instance) throw new DomainError('consumer_instance_not_found', `Consumer instance '${name}' of group '${group}' not found.`);
    instance.lastUsed = Date.now();
    return instance;
  }

  async delete(group: string, name: string): Promise<void> {
    this.get(group, name);
    await this.remove(keyOf(group, name));
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
    for (const o of this.owners.values()) if (o === owner) count++;
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
    this.owners.delete(key);
    await instance.close().catch(this.onBackgroundError);
    if (release) await this.placement.release(instance.group, instance.name).catch(this.onBackgroundError);
  }
}
