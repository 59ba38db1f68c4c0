/**
 * One consumer instance: the REST-side state around a group member — its subscription (the member is replaced when
 * the subscription changes), the offsets it has handed out (for "commit what I consumed"), auto-commit on an
 * interval, and the time it was last used (for idle expiry).
 */
import { DomainError } from '../errors/domain-error.js';
import type {
  ConsumedRecord,
  GroupConsumerFactory,
  GroupConsumerPort,
  OffsetReset,
  TopicPartitionOffset,
  TopicPartitions,
} from './model.js';

export type EmbeddedFormat = 'binary' | 'json' | 'avro' | 'jsonschema' | 'protobuf';

export interface ConsumerInstanceConfig {
  readonly autoCommit: boolean;
  readonly autoCommitIntervalMs: number;
  readonly autoOffsetReset: OffsetReset;
  readonly sessionTimeoutMs: number;
  /** The embedded format records are answered in (v2); Upstash instances use binary. */
  readonly format: EmbeddedFormat;
  /** Longest a records call waits (v2's consumer.request.timeout.ms). */
  readonly requestTimeoutMs: number;
}

export class ConsumerInstance {
  lastUsed = Date.now();
  private member: GroupConsumerPort | undefined;
  private subscribed: readonly string[] = [];
  /** Per partition, the offset after the last record handed out. */
  private readonly returned = new Map<string, TopicPartitionOffset>();
  private readonly autoCommitTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly group: string,
    readonly name: string,
    readonly config: ConsumerInstanceConfig,
    private readonly factory: GroupConsumerFactory,
    private readonly onBackgroundError: (error: unknown) => void,
  ) {
    if (config.autoCommit) {
      this.autoCommitTimer = setInterval(() => {
        this.commitReturned().catch(onBackgroundError);
      }, config.autoCommitIntervalMs);
      this.autoCommitTimer.unref();
    }
  }

  get topics(): readonly string[] {
    return this.subscribed;
  }

  sameTopics(topics: readonly string[]): boolean {
    return topics.length === this.subscribed.length && topics.every((t) => this.subscribed.includes(t));
  }

  /** Joins the group for these topics, leaving it first for the old ones if there were any. */
  async subscribe(topics: readonly string[]): Promise<void> {
    this.lastUsed = Date.now();
    await this.unsubscribe();
    const member = this.factory.create({
      groupId: this.group,
      topics,
      autoOffsetReset: this.config.autoOffsetReset,
      sessionTimeoutMs: this.config.sessionTimeoutMs,
    });
    try {
      await member.start();
    } catch (error) {
      await member.close();
      throw error;
    }
    this.member = member;
    this.subscribed = [...topics];
  }

  /** Leaves the group (committing what was handed out when auto-commit is on); the instance stays usable. */
  async unsubscribe(): Promise<void> {
    const member = this.member;
    if (!member) return;
    if (this.config.autoCommit) await this.commitReturned().catch(this.onBackgroundError);
    this.member = undefined;
    this.subscribed = [];
    this.returned.clear();
    await member.close();
  }

  async poll(timeoutMs: number, maxRecords: number, maxBytes?: number): Promise<ConsumedRecord[]> {
    this.lastUsed = Date.now();
    const records = await this.subscribedMember().poll(timeoutMs, maxRecords, maxBytes);
    for (const r of records) {
      this.returned.set(`${r.topic}\u0000${r.partition}`, { topic: r.topic, partition: r.partition, offset: (BigInt(r.offset) + 1n).toString() });
    }
    this.lastUsed = Date.now();
    return records;
  }

  /** Commits the given offsets as they are, or — with none — the offsets after everything handed out. */
  async commit(offsets?: readonly TopicPartitionOffset[]): Promise<void> {
    this.lastUsed = Date.now();
    if (offsets && offsets.length > 0) await this.subscribedMember().commit(offsets);
    else await this.commitReturned();
  }

  assignment(): TopicPartitions[] {
    return this.member?.assignment() ?? [];
  }

  async close(): Promise<void> {
    clearInterval(this.autoCommitTimer);
    await this.unsubscribe();
  }

  private subscribedMember(): GroupConsumerPort {
    if (!this.member) throw new DomainError('illegal_state', 'The consumer instance is not subscribed to any topic.');
    return this.member;
  }

  private async commitReturned(): Promise<void> {
    if (this.member && this.returned.size > 0) await this.member.commit([...this.returned.values()]);
  }
}
