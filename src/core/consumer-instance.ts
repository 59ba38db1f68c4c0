/**
 * One consumer instance: the REST-side state around a group member — its subscription (the member is replaced when
 * the subscription changes), the offsets it has handed out (for "commit what I consumed"), auto-commit on an
 * interval, and the time it was last used (for idle expiry).
 */
import { DomainError } from '../errors/domain-error.js';
import { readAtLeastMinBytes } from './min-bytes-read.js';
import { RecordList } from './record-list.js';
import type { ExistingTopics } from './pending-topics.js';
import { PendingTopics } from './pending-topics.js';
import type {
  GroupConsumerFactory,
  GroupConsumerPort,
  OffsetReset,
  PartitionReaderPort,
  PolledRecords,
  RecordText,
  TopicPartitionOffset,
  TopicPartitions,
} from './model.js';
import { NO_METER, polledPayloadBytes } from './traffic-meter.js';
import type { TrafficMeter } from './traffic-meter.js';

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/**
 * What an instance with manually assigned partitions reads and looks up offsets with (no group membership), and
 * how a subscription learns which of its topics exist.
 */
export interface AssignmentSupport {
  readonly reader: PartitionReaderPort;
  offsetsAt(point: 'earliest' | 'latest' | { timestampMs: number }, partitions: readonly TopicPartition[]): Promise<TopicPartitionOffset[]>;
  readonly existingTopics: ExistingTopics;
}

const tpKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

const NO_RECORDS: PolledRecords = new RecordList([]);

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
  /**
   * v2's fetch.min.bytes: a records call gathers more than this many bytes before it answers (`-1`: it waits for
   * its whole timeout). Absent: it answers as soon as it has records.
   */
  readonly fetchMinBytes?: number;
}

export class ConsumerInstance {
  lastUsed = Date.now();
  private member: GroupConsumerPort | undefined;
  /** Manually assigned partitions and the next offset to read of each (no group membership). */
  private readonly positions = new Map<string, TopicPartitionOffset>();
  private subscribed: readonly string[] = [];
  /** Subscribed topics that did not exist yet: the member is started again with them once they do. */
  private pending: PendingTopics | undefined;
  private joining: Promise<void> | undefined;
  /** Per partition, the offset after the last record handed out. */
  private readonly returned = new Map<string, TopicPartitionOffset>();
  private readonly autoCommitTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly group: string,
    readonly name: string,
    /** The username of who created the instance: only they may use it (the registry checks). */
    readonly owner: string,
    readonly config: ConsumerInstanceConfig,
    private readonly factory: GroupConsumerFactory,
    private readonly support: AssignmentSupport,
    private readonly onBackgroundError: (error: unknown) => void,
    /** Counts the records this instance hands out, under the dialect that created it. */
    private readonly meter: TrafficMeter = NO_METER,
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

  /**
   * Joins the group for these topics, leaving it first for the old ones if there were any. Topics that do not
   * exist yet are joined for once they do (as a Java consumer's subscription); until one exists there is no member.
   */
  async subscribe(topics: readonly string[]): Promise<void> {
    this.lastUsed = Date.now();
    if (this.positions.size > 0) throw new DomainError('illegal_state', 'Subscription to topics and manual assignment of partitions are mutually exclusive.');
    await this.unsubscribe();
    const present = await this.support.existingTopics(topics);
    const missing = topics.filter((t) => !present.includes(t));
    if (present.length > 0) this.member = await this.startMember(present);
    this.subscribed = [...topics];
    this.pending = missing.length > 0 ? new PendingTopics(missing, this.support.existingTopics) : undefined;
  }

  private async startMember(topics: readonly string[]): Promise<GroupConsumerPort> {
    const member = this.factory.create({
      groupId: this.group,
      topics,
      autoOffsetReset: this.config.autoOffsetReset,
      sessionTimeoutMs: this.config.sessionTimeoutMs,
      ...(this.config.fetchMinBytes === undefined || this.config.fetchMinBytes < 1 ? {} : { fetchMinBytes: this.config.fetchMinBytes }),
    });
    try {
      await member.start();
    } catch (error) {
      await member.close();
      throw error;
    }
    return member;
  }

  /** Once a pending topic exists, the member is replaced by one for every subscribed topic that exists now. */
  private joinArrivedTopics(): Promise<void> {
    // Concurrent polls share one check, so a topic's arrival starts one member.
    this.joining ??= this.rejoinIfArrived().finally(() => (this.joining = undefined));
    return this.joining;
  }

  private async rejoinIfArrived(): Promise<void> {
    const pending = this.pending;
    if (!pending?.waiting || (await pending.arrived()).length === 0) return;
    const old = this.member;
    if (old && this.config.autoCommit) await this.commitReturned().catch(this.onBackgroundError);
    this.member = undefined;
    this.returned.clear();
    await old?.close();
    this.member = await this.startMember(await this.support.existingTopics(this.subscribed));
  }

  /** A subscription none of whose topics exists yet: nothing to read until one does, or the time is up. */
  private async awaitFirstTopic(deadline: number): Promise<GroupConsumerPort | undefined> {
    while (!this.member && this.pending?.waiting && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.pending!.intervalMs, Math.max(0, deadline - Date.now()))));
      await this.joinArrivedTopics();
    }
    return this.member;
  }

  /** Leaves the group (committing what was handed out when auto-commit is on); the instance stays usable. */
  async unsubscribe(): Promise<void> {
    const member = this.member;
    if (!member) {
      this.subscribed = [];
      this.pending = undefined;
      return;
    }
    if (this.config.autoCommit) await this.commitReturned().catch(this.onBackgroundError);
    this.member = undefined;
    this.subscribed = [];
    this.pending = undefined;
    this.returned.clear();
    await member.close();
  }

  /**
   * Reads these partitions without joining the group, each from the group's committed offset or else from where
   * `auto.offset.reset` says; replaces any earlier assignment.
   */
  async assign(partitions: readonly TopicPartition[]): Promise<void> {
    this.lastUsed = Date.now();
    if (this.member || this.subscribed.length > 0) throw new DomainError('illegal_state', 'Subscription to topics and manual assignment of partitions are mutually exclusive.');
    const committed = await this.factory.committed(this.group, partitions);
    const missing = committed.filter((c) => c.offset === '-1');
    const reset = this.config.autoOffsetReset;
    if (missing.length > 0 && reset === 'none') {
      throw new DomainError('bad_request', `No committed offset for ${missing[0]!.topic}-${missing[0]!.partition} and auto.offset.reset is none.`);
    }
    const fallback = missing.length > 0 ? await this.support.offsetsAt(reset === 'earliest' ? 'earliest' : 'latest', missing) : [];
    this.positions.clear();
    for (const c of committed) {
      const start = c.offset === '-1' ? fallback.find((f) => f.topic === c.topic && f.partition === c.partition)?.offset ?? '0' : c.offset;
      this.positions.set(tpKey(c.topic, c.partition), { topic: c.topic, partition: c.partition, offset: start });
    }
  }

  assigned(): TopicPartition[] {
    return [...this.positions.values()].map(({ topic, partition }) => ({ topic, partition }));
  }

  /** The next read of the partition starts at `offset`; the partition must be assigned to this instance. */
  seek(position: TopicPartitionOffset): void {
    this.lastUsed = Date.now();
    const key = tpKey(position.topic, position.partition);
    if (this.positions.has(key)) {
      this.positions.set(key, { ...position });
      return;
    }
    const owned = this.member?.assignment().some((a) => a.topic === position.topic && a.partitions.includes(position.partition));
    if (!owned) throw new DomainError('illegal_state', `Partition ${position.topic}-${position.partition} is not assigned to this consumer instance.`);
    this.member!.seek(position);
  }

  /**
   * The next records, within the bounds; with `fetch.min.bytes` set, gathered as Confluent gathers them.
   * `writeAhead`: how the caller writes each record, so that a group member can write the next ones ahead.
   */
  async poll(timeoutMs: number, maxRecords: number, maxBytes = Number.POSITIVE_INFINITY, writeAhead?: RecordText): Promise<PolledRecords> {
    this.lastUsed = Date.now();
    const minBytes = this.config.fetchMinBytes;
    const once = (t: number, n: number, b: number): Promise<PolledRecords> => this.pollOnce(t, n, b, writeAhead);
    const records =
      minBytes === undefined
        ? await once(timeoutMs, maxRecords, maxBytes)
        : await readAtLeastMinBytes(once, { timeoutMs, maxRecords, maxBytes, minBytes }, (back) => this.unread(back.offsetsFrom(0)));
    this.lastUsed = Date.now();
    this.meter.consumed(records.count, polledPayloadBytes(records));
    return records;
  }

  private async pollOnce(timeoutMs: number, maxRecords: number, maxBytes: number, writeAhead?: RecordText): Promise<PolledRecords> {
    const records =
      this.positions.size > 0 ? await this.readAssigned(timeoutMs, maxRecords, maxBytes) : await this.readSubscribed(timeoutMs, maxRecords, maxBytes, writeAhead);
    for (const next of records.nextOffsets()) this.returned.set(tpKey(next.topic, next.partition), next);
    return records;
  }

  private async readSubscribed(timeoutMs: number, maxRecords: number, maxBytes: number, writeAhead?: RecordText): Promise<PolledRecords> {
    const deadline = Date.now() + timeoutMs;
    await this.joinArrivedTopics();
    const member = this.member ?? (this.subscribed.length > 0 ? await this.awaitFirstTopic(deadline) : this.subscribedMember());
    return member ? member.poll(Math.max(0, deadline - Date.now()), maxRecords, maxBytes, writeAhead) : NO_RECORDS;
  }

  /**
   * Puts records a poll returned back: each partition's next read starts again at the given offset (its first
   * record not passed on), and commits of "what was handed out" stop before it. For records the caller could not
   * pass on (see PolledRecords.offsetsFrom).
   */
  unread(positions: readonly TopicPartitionOffset[]): void {
    for (const position of positions) {
      this.seek(position);
      this.returned.set(tpKey(position.topic, position.partition), { ...position });
    }
  }

  /**
   * Commits the given offsets as they are, or — with none — the offsets after everything handed out. Given offsets
   * need no subscription: without a member they are committed from outside the group.
   */
  async commit(offsets?: readonly TopicPartitionOffset[]): Promise<void> {
    this.lastUsed = Date.now();
    if (!offsets || offsets.length === 0) return this.commitReturned();
    if (this.member) await this.member.commit(offsets);
    else await this.factory.commitWithoutMembership(this.group, offsets);
  }

  /** Reads every assigned partition from its position; positions move past what is handed out. */
  private async readAssigned(timeoutMs: number, maxRecords: number, maxBytes: number): Promise<PolledRecords> {
    const records = await this.support.reader.readRecords([...this.positions.values()], { timeoutMs, maxRecords, maxBytes });
    for (const next of records.nextOffsets()) this.positions.set(tpKey(next.topic, next.partition), next);
    return records;
  }

  assignment(): TopicPartitions[] {
    return this.member?.assignment() ?? [];
  }

  async close(): Promise<void> {
    clearInterval(this.autoCommitTimer);
    if (this.positions.size > 0 && this.config.autoCommit) await this.commitReturned().catch(this.onBackgroundError);
    this.positions.clear();
    await this.unsubscribe();
  }

  private subscribedMember(): GroupConsumerPort {
    if (!this.member) throw new DomainError('illegal_state', 'The consumer instance is not subscribed to any topic.');
    return this.member;
  }

  private async commitReturned(): Promise<void> {
    if (this.returned.size === 0) return;
    if (this.member) await this.member.commit([...this.returned.values()]);
    else if (this.positions.size > 0) await this.factory.commitWithoutMembership(this.group, [...this.returned.values()]);
  }
}
