/**
 * Implements RecordProducerPort with the one shared idempotent kafkajs producer (acks=all).
 *
 * Produce calls are queued in the order they arrive and sent by one loop, one Kafka request at a time: while a
 * request is out, the calls arriving meanwhile are coalesced into the next one. That keeps records in call order
 * (a v3 stream's records land in stream order; concurrent kafkajs sends may overtake each other) and turns many
 * small HTTP requests into few Kafka requests, as the Java producer's batching does.
 */
import type { Message, Producer, RecordMetadata } from 'kafkajs';
import type { ProduceAck, ProduceRecord, RecordProducerPort } from '../core/model.js';
import { DomainError } from '../errors/domain-error.js';
import { toDomainError } from './kafka-errors.js';
import type { TopicMetadataCache } from './topic-metadata-cache.js';

type PinnedMessage = Message & { partition?: number; timestamp: string };

function toMessage(record: ProduceRecord, timestampMs: number): PinnedMessage {
  return {
    key: record.key,
    value: record.value,
    timestamp: String(timestampMs),
    ...(record.partition === undefined ? {} : { partition: record.partition }),
    headers: record.headers.reduce<Record<string, (Buffer | string)[]>>((all, h) => {
      // kafkajs takes repeated keys as an array and writes one header per element, keeping their order.
      (all[h.key] ??= []).push(h.value ?? Buffer.alloc(0));
      return all;
    }, {}),
  };
}

/** Coalesced requests stay well under Kafka's default max.message.bytes (1 MiB) per partition batch. */
const MAX_COALESCED_BYTES = 512 * 1024;

type Results = (ProduceAck | DomainError)[];

interface SentMessage {
  readonly topic: string;
  readonly message: PinnedMessage;
}

interface Entry {
  readonly records: readonly ProduceRecord[];
  readonly bytes: number;
  readonly resolve: (results: Results) => void;
  readonly reject: (error: DomainError) => void;
  timer?: NodeJS.Timeout;
  settled: boolean;
}

function sizeOf(records: readonly ProduceRecord[]): number {
  let bytes = 0;
  for (const r of records) {
    bytes += 64 + (r.key?.length ?? 0) + (r.value?.length ?? 0);
    for (const h of r.headers) bytes += h.key.length + (h.value?.length ?? 0);
  }
  return bytes;
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

  constructor(
    private readonly producer: Producer,
    private readonly topics: TopicMetadataCache,
    private readonly ackTimeoutMs: number,
  ) {}

  /** The ack timeout runs from the call, queueing included; an expired call answers 503 whatever happens later. */
  produce(records: readonly ProduceRecord[]): Promise<Results> {
    return new Promise<Results>((resolve, reject) => {
      const entry: Entry = { records, bytes: sizeOf(records), resolve, reject, settled: false };
      entry.timer = setTimeout(() => this.expire(entry), this.ackTimeoutMs);
      this.pending.push(entry);
      void this.drain();
    });
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
      const results = await this.sendTogether(live, sent);
      live.forEach((entry, i) => settle(entry, results[i]!));
    } catch (error) {
      const domain = toDomainError(error, 'produce');
      // Kafka refused the request. When every record went to one partition, nothing of it was appended (a record
      // batch is atomic), so each call is retried on its own and the refusal reaches only the call that caused it.
      // Across partitions some may have been appended: all calls get the error rather than risk a duplicate.
      if (live.length > 1 && domain.kind !== 'kafka_unavailable' && onePartition(sent)) {
        for (const entry of live) await this.sendEntries([entry]);
        return;
      }
      for (const entry of live) settle(entry, { error: domain });
    }
  }

  /** One Kafka request for all entries; per entry its results, or the error that stops it (an unknown topic). */
  private async sendTogether(entries: readonly Entry[], sent: SentMessage[]): Promise<({ results: Results } | { error: DomainError })[]> {
    const checks = await this.checkDestinations(entries.flatMap((e) => e.records));
    const now = Date.now();
    const outcomes: ({ results: Results } | { error: DomainError })[] = [];
    const byTopic = new Map<string, PinnedMessage[]>();
    const toAck: { entry: number; index: number; record: ProduceRecord; message: PinnedMessage }[] = [];
    let at = 0;
    entries.forEach((entry, e) => {
      const own = checks.slice(at, at + entry.records.length);
      at += entry.records.length;
      const missing = own.find((c): c is DomainError => c instanceof DomainError && c.kind === 'topic_not_found');
      if (missing) {
        outcomes.push({ error: missing });
        return;
      }
      const results: Results = entry.records.map((_, i) => own[i] ?? new DomainError('internal', 'not sent'));
      outcomes.push({ results });
      entry.records.forEach((record, index) => {
        if (own[index]) return;
        const message = toMessage(record, record.timestampMs ?? now);
        sent.push({ topic: record.topic, message });
        toAck.push({ entry: e, index, record, message });
        const list = byTopic.get(record.topic) ?? [];
        list.push(message);
        byTopic.set(record.topic, list);
      });
    });
    if (toAck.length === 0) return outcomes;
    const metadata = await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    const acks = this.acknowledgements(toAck.map((a) => a.record), toAck.map((a) => a.message), metadata);
    toAck.forEach((a, i) => {
      const outcome = outcomes[a.entry]!;
      if ('results' in outcome) outcome.results[a.index] = acks[i]!;
    });
    return outcomes;
  }

  /**
   * Per record: a DomainError when it cannot be sent — its topic does not exist (unless the broker creates topics
   * on produce), or it names a partition the topic does not have.
   */
  private async checkDestinations(records: readonly ProduceRecord[]): Promise<(DomainError | undefined)[]> {
    const topics = [...new Set(records.map((r) => r.topic))];
    const counts = await Promise.all(topics.map((t) => this.topics.partitionCount(t)));
    const autoCreates = counts.includes(undefined) && (await this.topics.brokerAutoCreatesTopics());
    return records.map((record) => {
      const count = counts[topics.indexOf(record.topic)];
      if (count === undefined) return autoCreates ? undefined : new DomainError('topic_not_found', `Topic '${record.topic}' not found.`);
      if (record.partition !== undefined && record.partition >= count) {
        return new DomainError('partition_not_found', `Partition ${record.partition} of topic '${record.topic}' not found.`);
      }
      return undefined;
    });
  }

  /** Offsets within one partition of one request are consecutive from the partition's base offset. */
  private acknowledgements(records: readonly ProduceRecord[], messages: PinnedMessage[], metadata: RecordMetadata[]): ProduceAck[] {
    const next = new Map<string, { offset: bigint; logAppendTime: string }>();
    for (const m of metadata) {
      next.set(`${m.topicName}\u0000${m.partition}`, { offset: BigInt(m.baseOffset ?? '0'), logAppendTime: m.logAppendTime ?? '-1' });
    }
    return records.map((record, i) => {
      const message = messages[i]!;
      const partition = message.partition ?? 0;
      const slot = next.get(`${record.topic}\u0000${partition}`);
      if (!slot) throw new DomainError('kafka_error', `Kafka did not report partition ${partition} of '${record.topic}'.`);
      const offset = slot.offset;
      slot.offset = offset + 1n;
      const appended = Number(slot.logAppendTime);
      return { topic: record.topic, partition, offset: offset.toString(), timestampMs: appended >= 0 ? appended : Number(message.timestamp) };
    });
  }
}

/** Whether all messages went to one partition of one topic (the partitioner pins each message's choice). */
function onePartition(sent: readonly SentMessage[]): boolean {
  return new Set(sent.map(({ topic, message }) => `${topic}\u0000${message.partition ?? -1}`)).size <= 1;
}
