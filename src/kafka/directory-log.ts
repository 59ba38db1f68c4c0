/**
 * The deployment's directory log in Kafka: partition 0 of a compacted topic (`_kafka-rest-ts.<deployment>.instances`),
 * created by the first node that needs it. Every node reads it from the beginning with the group-less partition
 * reader (long polls, so a record written by one node reaches the others within milliseconds) and appends with an
 * idempotent producer of its own (a retried write is never in the log twice: the first copy's place decides claims).
 *
 * If the topic is deleted, it is created again and read from scratch (the listener's reset).
 */
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { DirectoryListener, DirectoryLogPort } from '../core/placement-ports.js';
import { DomainError } from '../errors/domain-error.js';
import { kafkaCall } from './kafka-errors.js';
import { PartitionReader } from './partition-reader.js';
import { topicPartitionsIfExists } from './topic-lookup.js';

export interface DirectoryLogOptions {
  readonly topic: string;
  /** Bounds a write (until read back) and a catch-up; beyond it they fail with 503. */
  readonly timeoutMs: number;
  readonly onError: (error: unknown) => void;
}

/** How long one read of the tail waits for a new record. */
const POLL_MS = 500;
const RETRY_MS = 1000;

interface Waiter {
  readonly done: () => boolean;
  readonly resolve: () => void;
}

export class KafkaDirectoryLog implements DirectoryLogPort {
  private readonly reader: PartitionReader;
  private readonly producer: Producer;
  private listener: DirectoryListener | undefined;
  /** The offset after the last record applied. */
  private next = 0n;
  private running = false;
  private tailing: Promise<void> | undefined;
  /** Reads of the tail started so far, and the latest of them that found nothing (the end was reached). */
  private readsStarted = 0;
  private lastEmptyRead = 0;
  private readonly waiters = new Set<Waiter>();

  constructor(
    kafka: Kafka,
    private readonly admin: Admin,
    private readonly options: DirectoryLogOptions,
  ) {
    this.reader = new PartitionReader(kafka, { maxConcurrentReads: 1 });
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  }

  async start(listener: DirectoryListener): Promise<void> {
    this.listener = listener;
    await this.ensureTopic();
    await Promise.all([this.producer.connect(), this.reader.connect()]);
    this.running = true;
    this.tailing = this.tail();
    await this.catchUp();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.tailing;
    await Promise.allSettled([this.producer.disconnect(), this.reader.disconnect()]);
  }

  async catchUp(): Promise<void> {
    const end = await this.endOffset();
    const readsBefore = this.readsStarted;
    // Records before `end` that compaction removed never arrive: a read that started after `end` was known and
    // found nothing means everything before it has been applied.
    await this.until(() => this.next >= end || this.lastEmptyRead > readsBefore, 'read the consumer instance directory');
  }

  async write(key: string, value: Buffer | null): Promise<bigint> {
    const [sent] = await this.bounded(
      kafkaCall('write to the consumer instance directory', () =>
        this.producer.send({ topic: this.options.topic, acks: -1, messages: [{ key, value, partition: 0 }] }),
      ),
      'write to the consumer instance directory',
    );
    const offset = BigInt(sent?.baseOffset ?? '-1');
    if (offset < 0n) throw new DomainError('kafka_unavailable', 'Kafka did not say where it wrote to the consumer instance directory.');
    await this.until(() => this.next > offset, 'read back the consumer instance directory');
    return offset;
  }

  private async tail(): Promise<void> {
    while (this.running) {
      const read = ++this.readsStarted;
      try {
        const [records = []] = await this.reader.read([{ topic: this.options.topic, partition: 0, offset: this.next }], { timeoutMs: POLL_MS });
        if (!this.running) return;
        for (const record of records) {
          const offset = BigInt(record.offset);
          this.listener?.apply({ offset, key: record.key?.toString('utf8') ?? '', value: record.value });
          this.next = offset + 1n;
        }
        if (records.length === 0) this.lastEmptyRead = read;
        this.wake();
      } catch (error) {
        if (!this.running) return;
        this.options.onError(error);
        await this.recover().catch(this.options.onError);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  /** After a failed read: a deleted topic is created again (endOffset() sees that it is new). */
  private async recover(): Promise<void> {
    await this.ensureTopic();
    await this.endOffset();
  }

  private reset(): void {
    this.next = 0n;
    this.lastEmptyRead = 0;
    this.listener?.reset();
  }

  private async ensureTopic(): Promise<void> {
    const { topic } = this.options;
    await kafkaCall('create the consumer instance directory', async () => {
      if (await topicPartitionsIfExists(this.admin, topic)) return;
      const { brokers } = await this.admin.describeCluster();
      await this.admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: 1, replicationFactor: Math.min(3, brokers.length), configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
      });
    });
  }

  private async endOffset(): Promise<bigint> {
    // Records applied while the offsets were asked for may be past the answer: compare with what was read before.
    const readBefore = this.next;
    const partitions = await this.bounded(
      kafkaCall('read the end of the consumer instance directory', () => this.admin.fetchTopicOffsets(this.options.topic)),
      'read the end of the consumer instance directory',
    );
    const end = BigInt(partitions.find((p) => p.partition === 0)?.high ?? '0');
    // Shorter than what was read: the topic was deleted and created again.
    if (end < readBefore) this.reset();
    return end;
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) if (waiter.done()) waiter.resolve();
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
      };
      this.waiters.add(waiter);
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
