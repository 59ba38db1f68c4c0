/**
 * The deployment's directory log in Kafka: partition 0 of a compacted topic (`_kafka-rest-ts.<deployment>.instances`),
 * created by the first node that claims an instance — until then it does not exist, and a node that never hosts a
 * consumer instance leaves no trace in Kafka. Every node reads it from the beginning with a partition reader of its
 * own, and appends with an idempotent producer of its own (a retried write is never in the log twice: the first
 * copy's place decides claims). While the node writes (it holds instances), it reads the log's tail every half
 * second; when placement says it is idle, the producer and the reader close, and the log is read only when a caller
 * needs it up to date (the reader closing again after a few quiet seconds) — so an idle node keeps no connection
 * of its own to Kafka.
 *
 * If the topic is deleted, it is read again from scratch (the listener's reset) once it is back.
 */
import { Partitioners } from 'kafkajs';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { DirectoryListener, DirectoryLogPort } from '../core/placement-ports.js';
import { DomainError } from '../errors/domain-error.js';
import { kafkaCall, kafkaRetryingCall } from './kafka-errors.js';
import { PartitionReader } from './partition-reader.js';
import { fetchTopicOffsets, topicPartitionsIfExists } from './topic-lookup.js';

export interface DirectoryLogOptions {
  readonly topic: string;
  /** Bounds a write (until read back) and a catch-up; beyond it they fail with 503. */
  readonly timeoutMs: number;
  readonly onError: (error: unknown) => void;
  /** Drops the topics others deleted from the admin client's metadata requests (KafkaClient.forgetDeletedTopics). */
  readonly forgetDeletedTopics: () => Promise<void>;
}

/** Pause between two reads of the log's tail (a read is also made at once for a caller waiting for it). */
const POLL_MS = 500;
/** While the topic does not exist: look for it every this many polls. */
const MISSING_TOPIC_POLLS = 10;
/** An idle node closes its reader once nobody asked for the log for this long. */
const READER_IDLE_MS = 5000;
const RETRY_MS = 1000;

interface Waiter {
  readonly done: () => boolean;
  readonly resolve: () => void;
  readonly fail: (error: Error) => void;
}

export class KafkaDirectoryLog implements DirectoryLogPort {
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;
  private reader: PartitionReader | undefined;
  /** A read of the tail under way (the reader closes after it). */
  private reading: Promise<void> | undefined;
  private listener: DirectoryListener | undefined;
  /** Whether the topic is known to exist. */
  private open = false;
  /** The offset after the last record applied. */
  private next = 0n;
  private running = false;
  private tailing: Promise<void> | undefined;
  /** Reads of the tail started so far, and the latest of them that found nothing (the end was reached). */
  private readsStarted = 0;
  private lastEmptyRead = 0;
  private readonly waiters = new Set<Waiter>();
  private wakeUp: (() => void) | undefined;
  /** A read is wanted as soon as the one under way ends. */
  private wanted = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly options: DirectoryLogOptions,
  ) {}

  async start(listener: DirectoryListener): Promise<void> {
    this.listener = listener;
    this.open = await this.exists();
    this.running = true;
    this.tailing = this.tail();
    await this.catchUp();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.tailing;
    await this.idle();
  }

  /** Closes the producer and the reader; the log is then read only when asked for. */
  async idle(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    this.connecting = undefined;
    await producer?.disconnect().catch(() => undefined);
    await this.closeReader();
  }

  private get active(): boolean {
    return this.connecting !== undefined;
  }

  async catchUp(): Promise<void> {
    if (!this.open) this.open = await this.exists();
    if (!this.open) return;
    const end = await this.endOffset();
    const readsBefore = this.readsStarted;
    // Records before `end` that compaction removed never arrive: a read that started after `end` was known and
    // found nothing means everything before it has been applied.
    await this.until(() => this.next >= end || this.lastEmptyRead > readsBefore, 'read the consumer instance directory');
  }

  async ensure(): Promise<void> {
    if (this.open) return;
    await this.ensureTopic();
    this.open = true;
  }

  async write(key: string, value: Buffer | null): Promise<bigint> {
    await this.ensure();
    const producer = await this.connectedProducer();
    const [sent] = await this.bounded(
      kafkaCall('write to the consumer instance directory', () =>
        producer.send({ topic: this.options.topic, acks: -1, messages: [{ key, value, partition: 0 }] }),
      ),
      'write to the consumer instance directory',
    );
    const offset = BigInt(sent?.baseOffset ?? '-1');
    if (offset < 0n) throw new DomainError('kafka_unavailable', 'Kafka did not say where it wrote to the consumer instance directory.');
    await this.until(() => this.next > offset, 'read back the consumer instance directory');
    return offset;
  }

  private connectedProducer(): Promise<Producer> {
    this.connecting ??= (async () => {
      // One partition: any partitioner will do; naming one keeps kafkajs from warning that its default changed.
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
      try {
        await kafkaCall('connect to the consumer instance directory', () => producer.connect());
      } catch (error) {
        this.connecting = undefined;
        throw error;
      }
      this.producer = producer;
      return producer;
    })();
    return this.connecting;
  }

  private async tail(): Promise<void> {
    for (let poll = 0; this.running; poll++) {
      try {
        if (this.active && poll % MISSING_TOPIC_POLLS === 0) await this.lookForTopic();
        if (this.open) {
          this.reading = this.readTail();
          await this.reading;
        }
        if (this.active) await this.pause(POLL_MS);
        else if (!(await this.pause(READER_IDLE_MS))) {
          // Idle and nobody asked for a while: let go of the connection until someone does.
          await this.closeReader();
          await this.pause(Number.POSITIVE_INFINITY);
        }
      } catch (error) {
        if (!this.running) return;
        this.options.onError(error);
        await this.recover().catch(this.options.onError);
        await this.pause(RETRY_MS);
      }
    }
  }

  private async readTail(): Promise<void> {
    const read = ++this.readsStarted;
    this.reader ??= new PartitionReader(this.kafka, { maxConcurrentReads: 1 });
    const [records = []] = await this.reader.read([{ topic: this.options.topic, partition: 0, offset: this.next }], { timeoutMs: 0 });
    for (const record of records) {
      const offset = BigInt(record.offset);
      this.listener?.apply({ offset, key: record.key?.toString('utf8') ?? '', value: record.value });
      this.next = offset + 1n;
    }
    if (records.length === 0) this.lastEmptyRead = read;
    for (const waiter of [...this.waiters]) if (waiter.done()) waiter.resolve();
    // More may be there already: read on without pausing.
    if (records.length > 0) this.wake();
  }

  /** After a failed read: a deleted topic is read from scratch once it is back (endOffset() sees that it is new). */
  private async recover(): Promise<void> {
    await this.lookForTopic();
    if (this.open) await this.endOffset();
  }

  /** Reads of a deleted topic find nothing rather than fail: whether it is (still) there is asked now and then. */
  private async lookForTopic(): Promise<void> {
    this.open = await this.exists();
    if (!this.open && this.next > 0n) this.reset();
  }

  private reset(): void {
    this.next = 0n;
    this.lastEmptyRead = 0;
    // What they wait for was counted in the old log.
    for (const waiter of [...this.waiters]) waiter.fail(new DomainError('kafka_unavailable', 'The consumer instance directory was deleted and is read again; retry.'));
    this.listener?.reset();
  }

  private async exists(): Promise<boolean> {
    const what = 'look up the consumer instance directory';
    return (await this.bounded(kafkaCall(what, () => topicPartitionsIfExists(this.admin, this.options.topic)), what)) !== undefined;
  }

  private async ensureTopic(): Promise<void> {
    const { topic } = this.options;
    const what = 'create the consumer instance directory';
    await this.bounded(kafkaCall(what, async () => {
      if (await topicPartitionsIfExists(this.admin, topic)) return;
      const { brokers } = await this.admin.describeCluster();
      const create = (): Promise<boolean> =>
        this.admin.createTopics({
          waitForLeaders: true,
          topics: [{ topic, numPartitions: 1, replicationFactor: Math.min(3, brokers.length), configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
        });
      await create().catch(async (error: unknown) => {
        // Deleted by another client after this one looked it up: see KafkaClient.forgetDeletedTopics.
        if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
        await this.options.forgetDeletedTopics();
        await create();
      });
    }), what);
  }

  private async endOffset(): Promise<bigint> {
    // Records applied while the offsets were asked for may be past the answer: compare with what was read before.
    const readBefore = this.next;
    const what = 'read the end of the consumer instance directory';
    // Right after the directory is created its leader may not be known to every broker yet ("not the leader").
    const partitions = await this.bounded(kafkaRetryingCall(what, () => fetchTopicOffsets(this.admin, this.options.topic), this.options.timeoutMs), what);
    const end = BigInt(partitions.find((p) => p.partition === 0)?.high ?? '0');
    // Shorter than what was read: the topic was deleted and created again.
    if (end < readBefore) this.reset();
    return end;
  }

  /** Resolves true when woken, false when `ms` passed. */
  private pause(ms: number): Promise<boolean> {
    if (this.wanted) {
      this.wanted = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(() => done(false), ms) : undefined;
      const done = (woken: boolean): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve(woken);
      };
      this.wakeUp = () => done(true);
    });
  }

  private async closeReader(): Promise<void> {
    await this.reading?.catch(() => undefined);
    const reader = this.reader;
    this.reader = undefined;
    await reader?.disconnect().catch(() => undefined);
  }

  private wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.wanted = true;
  }

  private until(done: () => boolean, what: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(this.expired(what));
      }, this.options.timeoutMs);
      const waiter: Waiter = {
        done,
        resolve: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
        fail: (error) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          reject(error);
        },
      };
      this.waiters.add(waiter);
      // Read now rather than at the next poll.
      this.wake();
    });
  }

  private expired(what: string): DomainError {
    return new DomainError('kafka_unavailable', `Kafka did not let this node ${what} within ${this.options.timeoutMs} ms.`);
  }

  private bounded<T>(work: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.expired(what)), this.options.timeoutMs);
    });
    return Promise.race([work, expired]).finally(() => clearTimeout(timer));
  }
}
