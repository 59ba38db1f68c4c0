/**
 * A kafkajs consumer turned from push to pull: its eachBatch handler fills a bounded buffer that `poll` drains.
 * When the buffer is full the handler waits (heartbeating) until a poll makes room, so kafkajs fetches the next
 * batch only then. (Pausing the subscription instead made kafkajs sleep its whole fetch wait, 500 ms, every time
 * the buffer filled.) A rebalance drops what was buffered (kafkajs then fetches again from the group's committed
 * offsets), so no record is handed out for a partition this member lost.
 */
import type { Admin, Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type {
  ConsumedRecord,
  GroupConsumerFactory,
  GroupConsumerPort,
  GroupConsumerSpec,
  TopicPartitionOffset,
  TopicPartitions,
} from '../core/model.js';
import { DomainError } from '../errors/domain-error.js';
import type { GroupCoordinatorClient } from './group-coordinator.js';
import { kafkaCall, kafkaRetryingCall } from './kafka-errors.js';
import { requireTopicPartitions } from './topic-lookup.js';

type Headers = ConsumedRecord['headers'];
const NO_HEADERS: Headers = Object.freeze([]);

/** kafkajs's header object as a list (most records have none: one shared empty list, no allocation). */
function headersOf(headers: IHeaders | undefined): Headers {
  if (headers === undefined) return NO_HEADERS;
  let out: { key: string; value: Buffer | null }[] | undefined;
  for (const key of Object.keys(headers)) {
    out ??= [];
    // kafkajs folds headers into a plain object, so a name such as "constructor" or "__proto__" also carries what
    // the prototype held (e.g. [Object, value]): keep only what a header value can be.
    const raw = headers[key];
    const values = (Array.isArray(raw) ? raw : [raw]) as unknown[];
    for (const v of values) {
      if (v === null || v === undefined) out.push({ key, value: null });
      else if (Buffer.isBuffer(v)) out.push({ key, value: v });
      else if (typeof v === 'string') out.push({ key, value: Buffer.from(v) });
    }
  }
  return out ?? NO_HEADERS;
}

export function toConsumedRecord(topic: string, partition: number, m: KafkaMessage): ConsumedRecord {
  return {
    topic,
    partition,
    offset: m.offset,
    timestampMs: Number(m.timestamp),
    key: m.key ?? null,
    value: m.value ?? null,
    headers: headersOf(m.headers),
  };
}

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
  /** Longest a broker fetch waits for data (kafkajs maxWaitTimeInMs); bounds how late a new record is seen. */
  readonly fetchMaxWaitMs: number;
}

class KafkaGroupConsumer implements GroupConsumerPort {
  private readonly consumer: Consumer;
  private buffer: ConsumedRecord[] = [];
  /** Polls waiting for records, and batch handlers waiting for room in the buffer. */
  private readonly waiters = new Set<() => void>();
  private readonly roomWaiters = new Set<() => void>();
  private assigned: TopicPartitions[] = [];
  private failure: Error | undefined;
  private closed = false;

  constructor(
    kafka: Kafka,
    private readonly admin: Admin,
    private readonly spec: GroupConsumerSpec,
    private readonly limits: GroupConsumerLimits,
  ) {
    this.consumer = kafka.consumer({
      groupId: spec.groupId,
      sessionTimeout: spec.sessionTimeoutMs,
      heartbeatInterval: this.heartbeatIntervalMs,
      maxWaitTimeInMs: limits.fetchMaxWaitMs,
      minBytes: Math.max(1, spec.fetchMinBytes ?? 1),
      allowAutoTopicCreation: false,
      // kafkajs restarts a crashed consumer (e.g. the group coordinator moved) on a timer; one closed meanwhile
      // would reconnect and rejoin its group after our disconnect, leaking the member and its connections.
      retry: { restartOnFailure: () => Promise.resolve(!this.closed) },
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      // A restart that was under way when close() ran has joined again: leave at once.
      if (this.closed) return this.disconnectSoon();
      this.assigned = Object.entries(payload.memberAssignment).map(([topic, partitions]) => ({ topic, partitions }));
      this.buffer = [];
      this.makeRoom();
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.failure = payload.error;
      this.wake();
    });
  }

  async start(): Promise<void> {
    if (this.spec.autoOffsetReset === 'none') await this.requireCommittedOffsets();
    await kafkaCall(`join group '${this.spec.groupId}'`, async () => {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: [...this.spec.topics], fromBeginning: this.spec.autoOffsetReset === 'earliest' });
      // Offsets are resolved by take() itself: kafkajs's auto-resolve after a batch throws a TypeError (and crashes
      // the consumer) when a rebalance took the partition away while the batch was handled.
      await this.consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => this.take(payload) });
    });
  }

  async poll(timeoutMs: number, maxRecords: number, maxBytes = Number.POSITIVE_INFINITY): Promise<ConsumedRecord[]> {
    if (this.failure) throw new DomainError('kafka_error', `The consumer stopped: ${this.failure.message}`);
    if (this.buffer.length === 0 && timeoutMs > 0) await waitFor(this.waiters, timeoutMs);
    const records = this.buffer.splice(0, this.countWithin(maxRecords, maxBytes));
    if (records.length > 0) this.makeRoom();
    return records;
  }

  /** How many buffered records fit in `maxRecords` and `maxBytes` (at least one, when there is one). */
  private countWithin(maxRecords: number, maxBytes: number): number {
    let bytes = 0;
    const limit = Math.min(maxRecords, this.buffer.length);
    for (let i = 0; i < limit; i++) {
      const record = this.buffer[i]!;
      bytes += (record.key?.length ?? 0) + (record.value?.length ?? 0);
      if (bytes > maxBytes && i > 0) return i;
    }
    return limit;
  }

  commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return Promise.resolve();
    return kafkaCall(`commit offsets of group '${this.spec.groupId}'`, () => this.consumer.commitOffsets([...offsets]));
  }

  assignment(): TopicPartitions[] {
    return this.assigned;
  }

  seek({ topic, partition, offset }: TopicPartitionOffset): void {
    this.buffer = this.buffer.filter((r) => r.topic !== topic || r.partition !== partition);
    this.makeRoom();
    this.consumer.seek({ topic, partition, offset });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    this.makeRoom();
    await this.consumer.disconnect().catch(() => undefined);
  }

  /** Disconnects a restart that was already under way when close() ran, once it has joined. */
  private disconnectSoon(): void {
    setImmediate(() => void this.consumer.disconnect().catch(() => undefined));
  }

  private async take({ batch, isStale, isRunning, heartbeat, resolveOffset }: EachBatchPayload): Promise<void> {
    // A batch fetched before a rebalance that took its partition away: the new owner reads it.
    if (!this.owns(batch.topic, batch.partition)) return;
    for (const message of batch.messages) {
      if (isStale()) return;
      this.buffer.push(toConsumedRecord(batch.topic, batch.partition, message));
    }
    try {
      resolveOffset(batch.lastOffset());
    } catch {
      // The partition was revoked meanwhile (GROUP_JOIN has dropped what was buffered).
      return;
    }
    this.wake();
    while (this.buffer.length >= this.limits.maxBufferedRecords && !this.closed && isRunning() && !isStale()) {
      await waitFor(this.roomWaiters, this.heartbeatIntervalMs);
      // Sends one only when the interval is due; throws when the group is rebalancing, which kafkajs handles.
      await heartbeat();
    }
  }

  private owns(topic: string, partition: number): boolean {
    return this.assigned.some((a) => a.topic === topic && a.partitions.includes(partition));
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
      this.admin.fetchOffsets({ groupId: this.spec.groupId, topics: [...this.spec.topics] }),
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
    const offsets = await kafkaRetryingCall(`fetch committed offsets of group '${groupId}'`, () => this.admin.fetchOffsets({ groupId, topics }));
    return partitions.map(({ topic, partition }) => {
      const found = offsets.find((o) => o.topic === topic)?.partitions.find((p) => p.partition === partition);
      return { topic, partition, offset: found?.offset ?? '-1' };
    });
  }
}
