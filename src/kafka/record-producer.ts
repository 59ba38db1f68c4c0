/** Implements RecordProducerPort with the one shared idempotent kafkajs producer (acks=all). */
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

export class KafkaRecordProducer implements RecordProducerPort {
  constructor(
    private readonly producer: Producer,
    private readonly topics: TopicMetadataCache,
    private readonly ackTimeoutMs: number,
  ) {}

  async produce(records: readonly ProduceRecord[]): Promise<(ProduceAck | DomainError)[]> {
    const refused = await this.checkDestinations(records);
    const sendable = records.map((r, i) => ({ record: r, index: i })).filter(({ index }) => !refused[index]);
    const results: (ProduceAck | DomainError)[] = records.map((_, i) => refused[i] ?? new DomainError('internal', 'not sent'));
    if (sendable.length === 0) return results;
    const now = Date.now();
    const messages = sendable.map(({ record }) => toMessage(record, record.timestampMs ?? now));
    const byTopic = new Map<string, PinnedMessage[]>();
    sendable.forEach(({ record }, i) => {
      const list = byTopic.get(record.topic) ?? [];
      list.push(messages[i]!);
      byTopic.set(record.topic, list);
    });
    const metadata = await this.send([...byTopic].map(([topic, list]) => ({ topic, messages: list })));
    const acks = this.acknowledgements(sendable.map((s) => s.record), messages, metadata);
    sendable.forEach(({ index }, i) => (results[index] = acks[i]!));
    return results;
  }

  /**
   * Unknown topics fail the whole request (unless the broker creates them on produce); a record naming a partition
   * the topic does not have is refused on its own.
   */
  private async checkDestinations(records: readonly ProduceRecord[]): Promise<(DomainError | undefined)[]> {
    const topics = [...new Set(records.map((r) => r.topic))];
    const counts = await Promise.all(topics.map((t) => this.topics.partitionCount(t)));
    const missing = topics.filter((_, i) => counts[i] === undefined);
    if (missing.length > 0 && !(await this.topics.brokerAutoCreatesTopics())) {
      throw new DomainError('topic_not_found', `Topic '${missing[0]}' not found.`);
    }
    return records.map((record) => {
      const count = counts[topics.indexOf(record.topic)];
      if (record.partition !== undefined && count !== undefined && record.partition >= count) {
        return new DomainError('partition_not_found', `Partition ${record.partition} of topic '${record.topic}' not found.`);
      }
      return undefined;
    });
  }

  private async send(topicMessages: { topic: string; messages: PinnedMessage[] }[]): Promise<RecordMetadata[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new DomainError('kafka_unavailable', `Kafka did not acknowledge the records within ${this.ackTimeoutMs} ms.`)),
        this.ackTimeoutMs,
      );
    });
    try {
      return await Promise.race([this.producer.sendBatch({ acks: -1, topicMessages }), timeout]);
    } catch (error) {
      throw toDomainError(error, 'produce');
    } finally {
      clearTimeout(timer);
    }
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
