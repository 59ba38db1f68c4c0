/**
 * One consumer instance: a group member plus what the REST dialects add on top — the offsets it has handed out
 * (for "commit what I consumed"), auto-commit on an interval, and the time it was last used (for idle expiry).
 */
import type { ConsumedRecord, GroupConsumerPort, OffsetReset, TopicPartitionOffset, TopicPartitions } from './model.js';

export interface ConsumerInstanceConfig {
  readonly autoCommit: boolean;
  readonly autoCommitIntervalMs: number;
  readonly autoOffsetReset: OffsetReset;
  readonly sessionTimeoutMs: number;
}

export class ConsumerInstance {
  lastUsed = Date.now();
  /** Per partition, the offset after the last record handed out. */
  private readonly returned = new Map<string, TopicPartitionOffset>();
  private readonly autoCommitTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly group: string,
    readonly name: string,
    readonly topics: readonly string[],
    readonly config: ConsumerInstanceConfig,
    private readonly member: GroupConsumerPort,
    private readonly onAutoCommitError: (error: unknown) => void,
  ) {
    if (config.autoCommit) {
      this.autoCommitTimer = setInterval(() => {
        this.commitReturned().catch(onAutoCommitError);
      }, config.autoCommitIntervalMs);
      this.autoCommitTimer.unref();
    }
  }

  start(): Promise<void> {
    return this.member.start();
  }

  sameTopics(topics: readonly string[]): boolean {
    return topics.length === this.topics.length && topics.every((t) => this.topics.includes(t));
  }

  async poll(timeoutMs: number, maxRecords: number): Promise<ConsumedRecord[]> {
    this.lastUsed = Date.now();
    const records = await this.member.poll(timeoutMs, maxRecords);
    for (const r of records) {
      this.returned.set(`${r.topic}\u0000${r.partition}`, { topic: r.topic, partition: r.partition, offset: (BigInt(r.offset) + 1n).toString() });
    }
    this.lastUsed = Date.now();
    return records;
  }

  /** Commits the given offsets as they are, or — with none — the offsets after everything handed out. */
  async commit(offsets?: readonly TopicPartitionOffset[]): Promise<void> {
    this.lastUsed = Date.now();
    if (offsets && offsets.length > 0) await this.member.commit(offsets);
    else await this.commitReturned();
  }

  assignment(): TopicPartitions[] {
    return this.member.assignment();
  }

  /** Leaves the group; with auto-commit on, commits what was handed out first (as a Java consumer's close does). */
  async close(): Promise<void> {
    clearInterval(this.autoCommitTimer);
    if (this.config.autoCommit) await this.commitReturned().catch(this.onAutoCommitError);
    await this.member.close();
  }

  private commitReturned(): Promise<void> {
    return this.member.commit([...this.returned.values()]);
  }
}
