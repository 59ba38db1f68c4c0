/** Upstash's shapes ⇄ domain records: values, keys and header values are plain UTF-8 strings on the wire. */
import type { components } from '../../../generated/openapi-types.js';
import type { ConsumedRecord, ProduceAck, ProduceRecord, TopicPartitionOffset } from '../../core/model.js';
import { DomainError } from '../../errors/domain-error.js';

type Schemas = components['schemas'];
export type UpstashProduceMessage = Schemas['ProduceMessage'];
export type UpstashMessage = Schemas['Message'];

/** A non-string JSON value is stored as its JSON text, as the SDK does with objects; null is a tombstone. */
function valueText(value: unknown): string | null {
  if (value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function toProduceRecord(message: UpstashProduceMessage, topic: string): ProduceRecord {
  return {
    topic,
    ...(message.partition === undefined ? {} : { partition: message.partition }),
    ...(message.timestamp === undefined ? {} : { timestampMs: message.timestamp }),
    key: message.key ?? null,
    value: valueText(message.value),
    headers: (message.headers ?? []).map((h) => ({ key: h.key, value: h.value })),
  };
}

/** `/produce` takes the topic from each message. */
export function topicOf(message: UpstashProduceMessage, index: number): string {
  if (!message.topic) throw new DomainError('bad_request', `Message ${index} has no topic.`);
  return message.topic;
}

export function asList<T>(body: T | T[] | undefined): T[] {
  if (body === undefined) return [];
  return Array.isArray(body) ? body : [body];
}

export function toProduceResult(ack: ProduceAck): Schemas['ProduceResult'] {
  return { topic: ack.topic, partition: ack.partition, offset: Number(ack.offset), timestamp: ack.timestampMs };
}

export function toUpstashMessage(record: ConsumedRecord): UpstashMessage {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: Number(record.offset),
    timestamp: record.timestampMs,
    key: record.key?.toString('utf8') ?? '',
    value: record.value?.toString('utf8') ?? '',
    headers: record.headers.map((h) => ({ key: h.key, value: h.value?.toString('utf8') ?? '' })),
  };
}

export function toOffsetResult(o: TopicPartitionOffset): Schemas['TopicPartitionOffsetResult'] {
  return { topic: o.topic, partition: o.partition, offset: Number(o.offset) };
}

export const SUCCESS: Schemas['Success'] = { result: 'Success', status: 200 };
