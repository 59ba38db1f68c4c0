/**
 * A consumer group member turned from push to pull. kafkajs keeps the membership (join, sync, heartbeats, commits)
 * with all its partitions paused, so it never fetches; the member fetches itself, on the kafkajs consumer's own
 * Fetch connection (MemberFetcher), into a RecordQueue of undecoded batches that `poll` hands out. The next fetch
 * starts as soon as the queue is below its bound — while the caller is still reading the previous answer — and the
 * records are decoded only when an answer is written (record-batch.ts). A rebalance (or a seek) drops what was
 * queued for the partitions concerned, and fetching resumes from the group's committed offsets, so no record is
 * handed out for a partition this member lost.
 */
import type { Admin, Consumer, Kafka } from 'kafkajs';
import type {
  GroupConsumerFactory,
  GroupConsumerPort,
  GroupConsumerSpec,
  PolledRecords,
  RecordText,
  TopicPartitionOffset,
  TopicPartitions,
} from '../core/model.js';
import { DomainError } from '../errors/domain-error.js';
import type { GroupCoordinatorClient } from './group-coordinator.js';
import { kafkaCall, kafkaRetryingCall } from './kafka-errors.js';
import { withInternalCluster } from './kafkajs-internals.js';
import { MemberFetcher } from './partition-reader.js';
import type { BeyondEnd } from './read-operation.js';
import { RecordQueue } from './record-queue.js';
import { fetchCommittedOffsets, fetchTopicOffsets, requireTopicPartitions } from './topic-lookup.js';

/** Resolves when notified through `waiters` or after `timeoutMs`, whichever comes first. */
function waitFor(waiters: Set<() => void>, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      waiters.delete(done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    waiters.add(done);
  });
}

function notifyAll(waiters: Set<() => void>): void {
  for (const waiter of [...waiters]) waiter();
}

export interface GroupConsumerLimits {
  readonly maxBufferedRecords: number;
  /** Longest a broker fetch waits for data; bounds how late a new record is seen. */
  readonly fetchMaxWaitMs: number;
}

const tpKey = (topic: string, partition: number): string => `${partition}\u0000${topic}`;
/** Pause after a failed fetch before the next one. */
const FETCH_RETRY_MS = 1000;

class KafkaGroupConsumer implements GroupConsumerPort {
  private readonly consumer: Consumer;
  private readonly fetcher: MemberFetcher;
  private readonly queue = new RecordQueue();
  /** Polls waiting for records, and the fetch loop waiting for room or for an assignment. */
  private readonly waiters = new Set<() => void>();
  private readonly roomWaiters = new Set<() => void>();
  private assigned: TopicPartitions[] = [];
  /** Where the next fetch of each assigned partition starts; empty until resolved after a join. */
  private readonly positions = new Map<string, TopicPartitionOffset>();
  /** Bumped by every join, rebalance and seek: a fetch that started before one is thrown away. */
  private generation = 0;
  private firstPositions: Promise<void> | undefined;
  private fetching: Promise<void> | undefined;
  private failure: Error | undefined;
  private closed = false;
  /** The last poll's RecordText: records fetched meanwhile are written ahead with it. */
  private writeAheadWith: RecordText | undefined;
  private writeAheadSoon: NodeJS.Immediate | undefined;

  constructor(
    kafka: Kafka,
    private readonly admin: Admin,
    private readonly spec: GroupConsumerSpec,
    private readonly limits: GroupConsumerLimits,
  ) {
    const made = withInternalCluster(kafka, () =>
      kafka.consumer({
        groupId: spec.groupId,
        sessionTimeout: spec.sessionTimeoutMs,
        heartbeatInterval: this.heartbeatIntervalMs,
        // With every partition paused, kafkajs waits this long between its checks for a heartbeat to send.
        maxWaitTimeInMs: limits.fetchMaxWaitMs,
        allowAutoTopicCreation: false,
        // kafkajs restarts a crashed consumer (e.g. the group coordinator moved) on a timer; one closed meanwhile
        // would reconnect and rejoin its group after our disconnect, leaking the member and its connections.
        retry: { restartOnFailure: () => Promise.resolve(!this.closed) },
      }),
    );
    this.consumer = made.client;
    this.fetcher = new MemberFetcher(made.cluster);
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      // A restart that was under way when close() ran has joined again: leave at once.
      if (this.closed) return this.disconnectSoon();
      this.consumer.pause(this.spec.topics.map((topic) => ({ topic })));
      this.assigned = Object.entries(payload.memberAssignment).map(([topic, partitions]) => ({ topic, partitions }));
      this.forgetPositions();
      const resolving = this.resolvePositions(this.generation);
      this.firstPositions ??= resolving;
      resolving.catch(() => undefined);
    });
    this.consumer.on(this.consumer.events.REBALANCING, () => this.forgetPositions());
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.failure = payload.error;
      this.wake();
    });
  }

  async start(): Promise<void> {
    if (this.spec.autoOffsetReset === 'none') await this.requireCommittedOffsets();
    await kafkaCall(`join group '${this.spec.groupId}'`, async () => {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: [...this.spec.topics] });
      // Never called: every partition is paused at each join, and the member fetches itself.
      await this.consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => undefined });
      await this.firstPositions;
    });
    this.fetching = this.fetchLoop();
  }

  async poll(timeoutMs: number, maxRecords: number, maxBytes = Number.POSITIVE_INFINITY, writeAhead?: RecordText): Promise<PolledRecords> {
    if (this.failure) throw new DomainError('kafka_error', `The consumer stopped: ${this.failure.message}`);
    this.writeAheadWith = writeAhead;
    if (this.queue.records === 0 && timeoutMs > 0) await waitFor(this.waiters, timeoutMs);
    const records = this.queue.take(maxRecords, maxBytes);
    if (records.count > 0) this.makeRoom();
    this.scheduleWriteAhead();
    return records;
  }

  commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return Promise.resolve();
    return kafkaCall(`commit offsets of group '${this.spec.groupId}'`, () => this.consumer.commitOffsets([...offsets]));
  }

  assignment(): TopicPartitions[] {
    return this.assigned;
  }

  seek({ topic, partition, offset }: TopicPartitionOffset): void {
    this.generation++;
    this.queue.drop(topic, partition);
    this.positions.set(tpKey(topic, partition), { topic, partition, offset });
    this.makeRoom();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearImmediate(this.writeAheadSoon);
    this.wake();
    this.makeRoom();
    // The fetch in flight ends first (within its max wait): it must not reconnect the cluster after the disconnect.
    await this.fetching;
    await this.consumer.disconnect().catch(() => undefined);
  }

  /** Fetches whenever the queue has room, until closed. */
  private async fetchLoop(): Promise<void> {
    while (!this.closed) {
      if (this.positions.size === 0 || this.queue.records >= this.limits.maxBufferedRecords) {
        await waitFor(this.roomWaiters, this.limits.fetchMaxWaitMs);
        continue;
      }
      const generation = this.generation;
      try {
        const fetched = await this.fetcher.fetch([...this.positions.values()], {
          maxWaitMs: this.limits.fetchMaxWaitMs,
          minBytes: this.spec.fetchMinBytes ?? 1,
          beyondEnd: this.beyondEnd,
          cancelled: () => this.closed || generation !== this.generation,
        });
        if (generation !== this.generation || this.closed) continue;
        for (const { topic, partition, batches, next } of fetched) {
          for (const start of batches) this.queue.push(start);
          this.positions.set(tpKey(topic, partition), { topic, partition, offset: next.toString() });
        }
        if (this.queue.records > 0) this.wake();
        this.scheduleWriteAhead();
      } catch {
        // Leaders moving, a broker away, the consumer closing: kafkajs rejoins or crashes as it needs to.
        if (!this.closed) await waitFor(this.roomWaiters, FETCH_RETRY_MS);
      }
    }
  }

  /** Writes the texts of queued records once the current answer is out (the caller reads it meanwhile). */
  private scheduleWriteAhead(): void {
    if (this.writeAheadSoon !== undefined || this.writeAheadWith === undefined || this.queue.records === 0) return;
    this.writeAheadSoon = setImmediate(() => {
      this.writeAheadSoon = undefined;
      if (this.writeAheadWith !== undefined && !this.closed) this.queue.writeAhead(this.writeAheadWith);
    });
  }

  private get beyondEnd(): BeyondEnd {
    return this.spec.autoOffsetReset === 'earliest' ? 'earliest' : 'latest';
  }

  /** After a join: each assigned partition from the group's committed offset, or where auto.offset.reset says. */
  private async resolvePositions(generation: number): Promise<void> {
    const topics = this.assigned.map((a) => a.topic);
    if (topics.length === 0) return;
    const committed = await kafkaRetryingCall(`fetch committed offsets of group '${this.spec.groupId}'`, () => fetchCommittedOffsets(this.admin, this.spec.groupId, topics));
    const resolved: TopicPartitionOffset[] = [];
    for (const { topic, partitions } of this.assigned) {
      const known = committed.find((c) => c.topic === topic)?.partitions ?? [];
      const missing = partitions.filter((p) => (known.find((k) => k.partition === p)?.offset ?? '-1') === '-1');
      const reset = missing.length > 0 ? await kafkaRetryingCall(`look up offsets of '${topic}'`, () => fetchTopicOffsets(this.admin, topic)) : [];
      for (const partition of partitions) {
        const offset = known.find((k) => k.partition === partition)?.offset ?? '-1';
        const bounds = reset.find((r) => r.partition === partition);
        const start = offset !== '-1' ? offset : this.spec.autoOffsetReset === 'earliest' ? bounds?.low : bounds?.high;
        resolved.push({ topic, partition, offset: start ?? '0' });
      }
    }
    if (generation !== this.generation) return;
    for (const position of resolved) this.positions.set(tpKey(position.topic, position.partition), position);
    this.makeRoom();
  }

  /** A rebalance began or ended: nothing queued or being fetched belongs to this member any more. */
  private forgetPositions(): void {
    this.generation++;
    this.positions.clear();
    this.queue.clear();
  }

  /** Disconnects a restart that was already under way when close() ran, once it has joined. */
  private disconnectSoon(): void {
    setImmediate(() => void this.consumer.disconnect().catch(() => undefined));
  }

  private get heartbeatIntervalMs(): number {
    return Math.min(3000, Math.floor(this.spec.sessionTimeoutMs / 3));
  }

  private makeRoom(): void {
    notifyAll(this.roomWaiters);
  }

  private wake(): void {
    notifyAll(this.waiters);
  }

  /** `auto.offset.reset=none`: refuse to start where the group has nothing committed. */
  private async requireCommittedOffsets(): Promise<void> {
    const offsets = await kafkaRetryingCall('fetch committed offsets', () =>
      fetchCommittedOffsets(this.admin, this.spec.groupId, [...this.spec.topics]),
    );
    for (const { topic, partitions } of offsets) {
      const missing = partitions.find((p) => p.offset === '-1');
      if (missing) {
        throw new DomainError(
          'bad_request',
          `Group '${this.spec.groupId}' has no committed offset for ${topic}-${missing.partition} and Kafka-Auto-Offset-Reset is none.`,
        );
      }
    }
  }
}

export class KafkaGroupConsumerFactory implements GroupConsumerFactory {
  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly limits: GroupConsumerLimits,
    private readonly coordinators: GroupCoordinatorClient,
  ) {}

  create(spec: GroupConsumerSpec): GroupConsumerPort {
    return new KafkaGroupConsumer(this.kafka, this.admin, spec, this.limits);
  }

  async commitWithoutMembership(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    await kafkaCall('look up topics', () => requireTopicPartitions(this.admin, offsets));
    await this.coordinators.commit(groupId, offsets);
  }

  async committed(groupId: string, partitions: readonly { topic: string; partition: number }[]): Promise<TopicPartitionOffset[]> {
    await kafkaCall('look up topics', () => requireTopicPartitions(this.admin, partitions));
    const topics = [...new Set(partitions.map((p) => p.topic))];
    const offsets = await kafkaRetryingCall(`fetch committed offsets of group '${groupId}'`, () => fetchCommittedOffsets(this.admin, groupId, topics));
    return partitions.map(({ topic, partition }) => {
      const found = offsets.find((o) => o.topic === topic)?.partitions.find((p) => p.partition === partition);
      return { topic, partition, offset: found?.offset ?? '-1' };
    });
  }
}
