/**
 * The consumer instances this server hosts, shared by every dialect that has them: created on demand (Upstash) or
 * explicitly (v2), bounded in number, closed when idle for too long, and closed cleanly on shutdown.
 */
import { DomainError } from '../errors/domain-error.js';
import { ConsumerInstance } from './consumer-instance.js';
import type { ConsumerInstanceConfig } from './consumer-instance.js';
import type { GroupConsumerFactory, TopicPartitions } from './model.js';

export interface RegistryLimits {
  readonly maxInstances: number;
  readonly idleTimeoutMs: number;
}

export interface InstanceSummary {
  readonly group: string;
  readonly name: string;
  readonly topics: readonly string[];
  readonly assignment: TopicPartitions[];
}

const keyOf = (group: string, name: string): string => `${group}\u0000${name}`;

export class ConsumerRegistry {
  private readonly instances = new Map<string, ConsumerInstance>();
  /** Instances being created or re-subscribed: later calls for the same key wait for the same promise. */
  private readonly pending = new Map<string, Promise<ConsumerInstance>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly factory: GroupConsumerFactory,
    private readonly limits: RegistryLimits,
    private readonly onBackgroundError: (error: unknown) => void,
  ) {
    this.sweeper = setInterval(() => void this.closeIdle(), Math.max(1000, Math.min(30_000, limits.idleTimeoutMs / 4)));
    this.sweeper.unref();
  }

  get size(): number {
    return this.instances.size;
  }

  /** The instance, created (and joined) if it does not exist, re-subscribed if it was following other topics. */
  async acquire(group: string, name: string, topics: readonly string[], config: ConsumerInstanceConfig): Promise<ConsumerInstance> {
    const key = keyOf(group, name);
    const pending = this.pending.get(key);
    if (pending) return pending;
    const existing = this.instances.get(key);
    if (existing?.sameTopics(topics)) return existing;
    const creating = this.replace(key, existing, group, name, topics, existing?.config ?? config).finally(() => this.pending.delete(key));
    this.pending.set(key, creating);
    return creating;
  }

  get(group: string, name: string): ConsumerInstance {
    const instance = this.instances.get(keyOf(group, name));
    if (!instance) throw new DomainError('consumer_instance_not_found', `Consumer instance '${name}' of group '${group}' not found.`);
    instance.lastUsed = Date.now();
    return instance;
  }

  async delete(group: string, name: string): Promise<void> {
    const instance = this.get(group, name);
    this.instances.delete(keyOf(group, name));
    await instance.close();
  }

  list(): InstanceSummary[] {
    return [...this.instances.values()].map((i) => ({ group: i.group, name: i.name, topics: i.topics, assignment: i.assignment() }));
  }

  async closeIdle(now = Date.now()): Promise<number> {
    const idle = [...this.instances.entries()].filter(([, i]) => now - i.lastUsed > this.limits.idleTimeoutMs);
    for (const [key] of idle) this.instances.delete(key);
    await Promise.all(idle.map(([, i]) => i.close().catch(this.onBackgroundError)));
    return idle.length;
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.instances.values()];
    this.instances.clear();
    await Promise.all(all.map((i) => i.close().catch(this.onBackgroundError)));
  }

  private async replace(
    key: string,
    existing: ConsumerInstance | undefined,
    group: string,
    name: string,
    topics: readonly string[],
    config: ConsumerInstanceConfig,
  ): Promise<ConsumerInstance> {
    if (!existing && this.instances.size + this.pending.size >= this.limits.maxInstances) {
      throw new DomainError('limit_exceeded', `This server already hosts ${this.limits.maxInstances} consumer instances (consumer.instances.max).`);
    }
    if (existing) {
      this.instances.delete(key);
      await existing.close();
    }
    const member = this.factory.create({ groupId: group, topics, autoOffsetReset: config.autoOffsetReset, sessionTimeoutMs: config.sessionTimeoutMs });
    const instance = new ConsumerInstance(group, name, topics, config, member, this.onBackgroundError);
    try {
      await instance.start();
    } catch (error) {
      await member.close();
      throw error;
    }
    this.instances.set(key, instance);
    return instance;
  }
}
