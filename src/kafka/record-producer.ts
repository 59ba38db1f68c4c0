/**
 * Implements RecordProducerPort with the one shared idempotent kafkajs producer (acks=all).
 *
 * Produce calls are queued in the order they arrive and sent by one loop, one Kafka request at a time: while a
 * request is out, the calls arriving meanwhile are coalesced into the next one. That keeps records in call order
 * (a v3 stream's records land in stream order; concurrent kafkajs sends may overtake each other) and turns many
 * small HTTP requests into few Kafka requests, as the Java producer's batching does.
 */
import type { RecordMetadata } from 'kafkajs';
import type { ProduceAck, ProduceRecord, RecordProducerPort } from '../core/model.js';
import { DomainError } from '../errors/domain-error.js';
import { toDomainError } from './kafka-errors.js';
import { onePartition, sizeOf, toMessage } from './kafkajs-messages.js';
import type { PinnedMessage, SentMessage } from './kafkajs-messages.js';
import type { ProducerSource } from './kafka-client.js';
import type { TopicMetadataCache } from './topic-metadata-cache.js';

/** Stands for a record's result until Kafka answers; one shared instance (an Error per record cost ~10% CPU). */
const NOT_SENT = new DomainError('internal', 'The record was not sent.');

/** kafkajs's producer metadata age (set in kafka-client.ts), and how often records for a partition it does not know yet are sent. */
export const PRODUCER_METADATA_MAX_AGE_MS = 2_000;
const UNKNOWN_PARTITION_ATTEMPTS = 3;

/** Coalesced requests stay well under Kafka's default max.message.bytes (1 MiB) per partition batch. */
const MAX_COALESCED_BYTES = 512 * 1024;

type Results = (ProduceAck | DomainError)[];

interface Entry {
  readonly records: readonly ProduceRecord[];
  readonly allOrNothing: boolean;
  readonly bytes: number;
  readonly resolve: (results: Results) => void;
  readonly reject: (error: DomainError) => void;
  timer?: NodeJS.Timeout;
  settled: boolean;
}

function settle(entry: Entry, outcome: { results: Results } | { error: DomainError }): void {
  if (entry.settled) return;
  entry.settled = true;
  clearTimeout(entry.timer);
  if ('results' in outcome) entry.resolve(outcome.results);
  else entry.reject(outcome.error);
}

export class KafkaRecordProducer implements RecordProducerPort {
  private readonly pending: Entry[] = [];
  private draining = false;
  /** A send's outcome was unknown: the next one needs a producer with a new id (see KafkaClient.renewProducer). */
  private producerSuspect = false;

  constructor(
    private readonly source: ProducerSource,
    private readonly topics: TopicMetadataCache,
    private readonly ackTimeoutMs: number,
  ) {}

  /** The ack timeout runs from the call, queueing included; an expired call answers 503 whatever happens later. */
  produce(records: readonly ProduceRecord[], options: { readonly allOrNothing?: boolean } = {}): Promise<Results> {
    return new Promise<Results>((resolve, reject) => {
      const entry: Entry = { records, allOrNothing: options.allOrNothing ?? false, bytes: sizeOf(records), resolve, reject, settled: false };
      entry.timer = setTimeout(() => this.expire(entry), this.ackTimeoutMs);
      this.pending.push(entry);
      void this.drain();
    });
  }

  /**
   * Bounded by the ack timeout like a produce: while Kafka is unreachable the admin client retries for many
   * seconds, and the caller (v3 produce) must get its 503 in time instead.
   */
  async topicExists(topic: string): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DomainError('kafka_unavailable', `Kafka did not describe topic '${topic}' within ${this.ackTimeoutMs} ms.`)), this.ackTimeoutMs);
    });
    try {
      return (await Promise.race([this.topics.partitionCount(topic), expired])) !== undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  private expire(entry: Entry): void {
    const queued = this.pending.indexOf(entry);
    if (queued >= 0) this.pending.splice(queued, 1);
    settle(entry, { error: new DomainError('kafka_unavailable', `Kafka did not acknowledge the records within ${this.ackTimeoutMs} ms.`) });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.pending.length > 0) await this.sendEntries(this.takeBatch());
    } finally {
      this.draining = false;
    }
  }

  /** The oldest queued calls, up to MAX_COALESCED_BYTES (a larger call goes alone). */
  private takeBatch(): Entry[] {
    let bytes = 0;
    let count = 0;
    while (count < this.pending.length) {
      const next = this.pending[count]!;
      if (count > 0 && bytes + next.bytes > MAX_COALESCED_BYTES) break;
      bytes += next.bytes;
      count++;
    }
    return this.pending.splice(0, count);
  }

  private async sendEntries(entries: Entry[]): Promise<void> {
    const live = entries.filter((e) => !e.settled);
    if (live.length === 0) return;
    const sent: SentMessage[] = [];
    try {
      if (this.producerSuspect) {
        await this.source.renewProducer(this.ackTimeoutMs);
        this.producerSuspect = false;
      }
      const results = await this.sendTogether(live, sent);
      live.forEach((entry, i) => settle(entry, results[i]!));
    } catch (error) {
      const domain = toDomainError(error, 'produce');
      // Kafka may have appended what kafkajs reports as failed (the broker died with the request in flight).
      if (domain.kind === 'kafka_unavailable' || domain.kind === 'kafka_error') this.producerSuspect = true;
      // Kafka refused the request. When every record went to one partition, nothing of it was appended (a record
      // batch is atomic), so each call is retried on its own and the refusal reaches only the call that caused it.
      // Across partitions some may have been appended: all calls get the error rather than risk a duplicate.
      if (domain.kind !== 'kafka_unavailable' && onePartition(sent)) {
        if (live.length > 1) {
          for (const entry of live) await this.sendEntries([entry]);
          return;
        }
        // One call of several records, each standing on its own (v2, a v3 stream's chunk): the same, record by record.
        const [entry] = live as [Entry];
        if (!entry.allOrNothing && entry.records.length > 1) {
          settle(entry, { results: await this.sendAlone(entry.records) });
          return;
        }
      }
      for (const entry of live) settle(entry, { error: domain });
    }
  }

  /** Each record in a request of its own, in order: its ack, or why Kafka refused it. */
  private async sendAlone(records: readonly ProduceRecord[]): Promise<Results> {
    const results: Results = [];
    for (const record of records) {
      const alone = await new Promise<Results | DomainError>((resolve) => {
        const entry: Entry = { records: [record], allOrNothing: false, bytes: sizeOf([record]), resolve, reject: resolve, settled: false };
        void this.sendEntries([entry]);
      });
      results.push(alone instanceof DomainError ? alone : alone[0]!);
    }
    return results;
  }

  /** One Kafka request for all entries (more only for partitions kafkajs does not know yet); per entry its results, or the error that stops it. */
  private async sendTogether(entries: readonly Entry[], sent: SentMessage[]): Promise<({ results: Results } | { error: DomainError })[]> {
    const checks = await this.checkDestinations(entries.flatMap((e) => e.records));
    const nowText = String(Date.now());
    const outcomes: ({ results: Results } | { error: DomainError })[] = [];
    const toAck: { entry: number; index: number; record: ProduceRecord; message: PinnedMessage }[] = [];
    let at = 0;
    entries.forEach((entry, e) => {
      const own = checks.slice(at, at + entry.records.length);
      at += entry.records.length;
      const stop = own.find((c): c is DomainError => c instanceof DomainError && (entry.allOrNothing || c.kind === 'topic_not_found'));
      if (stop) {
        outcomes.push({ error: stop });
        return;
      }
      const results: Results = entry.records.map((_, i) => own[i] ?? NOT_SENT);
      outcomes.push({ results });
      entry.records.forEach((record, index) => {
        if (own[index]) return;
        const message = toMessage(record, record.timestampMs === undefined ? nowText : String(record.timestampMs));
        sent.push({ topic: record.topic, message });
        toAck.push({ entry: e, index, record, message });
      });
    });
    const settleRecord = (a: (typeof toAck)[number], result: ProduceAck | DomainError): void => {
      const outcome = outcomes[a.entry]!;
      if ('results' in outcome) outcome.results[a.index] = result;
    };
    let pending = toAck;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const acks = await this.sendAndAcknowledge(pending.map((a) => ({ topic: a.record.topic, message: a.message })));
      const unsent: typeof pending = [];
      pending.forEach((a, i) => {
        const ack = acks[i];
        if (ack) settleRecord(a, ack);
        else unsent.push(a);
      });
      if (unsent.length > 0 && attempt >= UNKNOWN_PARTITION_ATTEMPTS) {
        for (const a of unsent) {
          settleRecord(a, new DomainError('kafka_unavailable', `Partition ${a.message.partition ?? 0} of '${a.record.topic}' is not known to the producer yet; retry shortly.`));
        }
        break;
      }
      // kafkajs leaves out partitions its metadata does not know yet (just added to the topic): those records were
      // not sent. Its metadata is refreshed once older than PRODUCER_METADATA_MAX_AGE_MS; then they go again.
      if (unsent.length > 0) await new Promise((resolve) => setTimeout(resolve, PRODUCER_METADATA_MAX_AGE_MS + 100));
      pending = unsent;
    }
    return outcomes;
  }

  /** One Kafka request; per message its ack, or undefined when kafkajs did not send it. */
  private async sendAndAcknowledge(sent: readonly SentMessage[]): Promise<(ProduceAck | undefined)[]> {
    const byTopic = new Map<string, PinnedMessage[]>();
    for (const { topic, message } of sent) {
      const list = byTopic.get(topic) ?? [];
      list.push(message);
      byTopic.set(topic, list);
    }
    const metadata = await this.source.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    return this.acknowledgements(sent, metadata);
  }

  /**
   * Per record: a DomainError when it cannot be sent — its topic does not exist (unless the broker creates topics
   * on produce), it names a partition the topic does not have, or its timestamp is not one.
   */
  private async checkDestinations(records: readonly ProduceRecord[]): Promise<(DomainError | undefined)[]> {
    const highest = new Map<string, number>();
    for (const r of records) highest.set(r.topic, Math.max(highest.get(r.topic) ?? 0, (r.partition ?? -1) + 1));
    const topics = [...highest.keys()];
    const counts = await Promise.all(topics.map((t) => this.topics.partitionCount(t, highest.get(t))));
    const created = counts.includes(undefined) ? await this.topics.autoCreatedPartitions() : undefined;
    return records.map((record) => {
      // A topic the broker creates on this produce gets num.partitions partitions.
      const count = counts[topics.indexOf(record.topic)] ?? created;
      if (count === undefined) return new DomainError('topic_not_found', `Topic '${record.topic}' not found.`);
      // A record kafkajs cannot encode would fail the whole coalesced request: refuse it alone.
      if (record.timestampMs !== undefined && !(Number.isSafeInteger(record.timestampMs) && record.timestampMs >= 0)) {
        return new DomainError('bad_request', `Timestamp ${record.timestampMs} is not a time in epoch milliseconds.`);
      }
      if (record.partition !== undefined && record.partition >= count) {
        return new DomainError('partition_not_found', `Partition ${record.partition} of topic '${record.topic}' not found.`);
      }
      return undefined;
    });
  }

  /** Offsets within one partition of one request are consecutive from the partition's base offset. */
  private acknowledgements(sent: readonly SentMessage[], metadata: RecordMetadata[]): (ProduceAck | undefined)[] {
    const next = new Map<string, { offset: bigint; logAppendTime: string }>();
    for (const m of metadata) {
      next.set(`${m.topicName}\u0000${m.partition}`, { offset: BigInt(m.baseOffset ?? '0'), logAppendTime: m.logAppendTime ?? '-1' });
    }
    return sent.map(({ topic, message }) => {
      const partition = message.partition ?? 0;
      const slot = next.get(`${topic}\u0000${partition}`);
      if (!slot) return undefined;
      const offset = slot.offset;
      slot.offset = offset + 1n;
      const appended = Number(slot.logAppendTime);
      return { topic, partition, offset: offset.toString(), timestampMs: appended >= 0 ? appended : Number(message.timestamp) };
    });
  }
}
