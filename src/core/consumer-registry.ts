/**
 * The consumer instances this server hosts, shared by every dialect that has them: created explicitly (v2) or on
 * first use (Upstash), bounded in number, closed when idle for too long, and closed cleanly on shutdown.
 */
import { DomainError } from '../errors/domain-error.js';
import { ConsumerInstance } from './consumer-instance.js';
import type { AssignmentSupport, ConsumerInstanceConfig } from './consumer-instance.js';
import type { GroupConsumerFactory, TopicPartitions } from './model.js';
import { NO_METER } from './traffic-meter.js';
import type { TrafficMeter } from './traffic-meter.js';

export interface RegistryLimits {
  readonly maxInstances: number;
  /** Instances one user (the authenticated principal's username) may have at once. */
  readonly maxInstancesPerUser: number;
  readonly idleTimeoutMs: number;
}

export interface InstanceSummary {
  readonly group: string;
  readonly name: string;
  readonly topics: readonly string[];
  readonly assignment: TopicPartitions[];
}

const keyOf = (group: string, name: string): string => `${group}\u0000${name}`;

/** The registry as one dialect's handlers use it (see ConsumerRegistry.forDialect). */
export type ConsumerInstances = Pick<ConsumerRegistry, 'create' | 'acquire' | 'get' | 'delete' | 'list'>;

export class ConsumerRegistry {
  private readonly instances = new Map<string, ConsumerInstance>();
  /** Who created each instance (by key), for the per-user limit. */
  private readonly owners = new Map<string, string>();
  /** Subscriptions being changed by `acquire`: later calls for the same instance wait for the same promise. */
  private readonly pending = new Map<string, Promise<ConsumerInstance>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly factory: GroupConsumerFactory,
    private readonly support: AssignmentSupport,
    private readonly limits: RegistryLimits,
    private readonly onBackgroundError: (error: unknown) => void,
  ) {
    this.sweeper = setInterval(() => void this.closeIdle(), Math.max(1000, Math.min(30_000, limits.idleTimeoutMs / 4)));
    this.sweeper.unref();
  }

  get size(): number {
    return this.instances.size;
  }

  /** A new, unsubscribed instance owned by `owner`; 40902 when the group already has one by that name. */
  /**
   * The registry for one dialect's handlers: the instances they create count the records they hand out under that
   * dialect's `meter` (an instance created by one dialect and read through the other stays counted under the first).
   */
  forDialect(meter: TrafficMeter): ConsumerInstances {
    return {
      create: (group, name, config, owner) => this.create(group, name, config, owner, meter),
      acquire: (group, name, topics, config, owner) => this.acquire(group, name, topics, config, owner, meter),
      get: (group, name) => this.get(group, name),
      delete: (group, name) => this.delete(group, name),
      list: () => this.list(),
    };
  }

  create(group: string, name: string, config: ConsumerInstanceConfig, owner: string, meter: TrafficMeter = NO_METER): ConsumerInstance {
    const key = keyOf(group, name);
    if (this.instances.has(key)) {
      throw new DomainError('consumer_already_exists', `Consumer with specified consumer ID '${name}' already exists in consumer group '${group}'.`);
    }
    if (this.instances.size >= this.limits.maxInstances) {
      throw new DomainError('limit_exceeded', `This server already hosts ${this.limits.maxInstances} consumer instances (consumer.instances.max).`);
    }
    if (this.countOwnedBy(owner) >= this.limits.maxInstancesPerUser) {
      throw new DomainError(
        'limit_exceeded',
        `User '${owner}' already has ${this.limits.maxInstancesPerUser} consumer instances (consumer.instances.max.per.user); delete one or let it expire.`,
      );
    }
    const instance = new ConsumerInstance(group, name, config, this.factory, this.support, this.onBackgroundError, meter);
    this.instances.set(key, instance);
    this.owners.set(key, owner);
    return instance;
  }

  /** The instance subscribed to `topics`: created if missing, re-subscribed if it followed other topics. */
  async acquire(
    group: string,
    name: string,
    topics: readonly string[],
    config: ConsumerInstanceConfig,
    owner: string,
    meter: TrafficMeter = NO_METER,
  ): Promise<ConsumerInstance> {
    const key = keyOf(group, name);
    const pending = this.pending.get(key);
    if (pending) return pending;
    const existing = this.instances.get(key);
    if (existing?.sameTopics(topics)) return existing;
    const instance = existing ?? this.create(group, name, config, owner, meter);
    const subscribing = instance
      .subscribe(topics)
      .then(() => instance)
      .catch(async (error: unknown) => {
        if (!existing) await this.remove(key);
        throw error;
      })
      .finally(() => this.pending.delete(key));
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

  private countOwnedBy(owner: string): number {
    let count = 0;
    for (const o of this.owners.values()) if (o === owner) count++;
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

  private async remove(key: string): Promise<void> {
    const instance = this.instances.get(key);
    if (!instance) return;
    this.instances.delete(key);
    this.owners.delete(key);
    await instance.close().catch(this.onBackgroundError);
  }
}
