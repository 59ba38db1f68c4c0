/** Upstash's shapes ⇄ domain records: values, keys and header values are plain UTF-8 strings on the wire. */
import type { components } from '../../../generated/openapi-types.js';
import type { ConsumedRecord, ProduceAck, ProduceRecord, RecordView, TopicPartitionOffset } from '../../core/model.js';
import { DomainError } from '../../errors/domain-error.js';
import { topicJson, utf8Field } from '../records-json.js';
import type { RecordJson } from '../records-json.js';

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

function headersJson(record: RecordView): string {
  const headers = record.headers();
  if (headers.length === 0) return '[]';
  return JSON.stringify(headers.map((h) => ({ key: h.key, value: h.value?.toString('utf8') ?? '' })));
}

/** toUpstashMessage's shape, written straight from the fetched bytes (key and value '' when absent). */
export const upstashMessageJson: RecordJson = (() => {
  const topic = topicJson();
  return (r: RecordView): string => {
    const key = r.keyBuffer === null ? '""' : utf8Field(r.keyBuffer, r.keyStart, r.keyEnd, 'key');
    const value = r.valueBuffer === null ? '""' : utf8Field(r.valueBuffer, r.valueStart, r.valueEnd, 'value');
    return `{"topic":${topic(r.topic)},"partition":${r.partition},"offset":${r.offset},"timestamp":${r.timestampMs},"key":${key},"value":${value},"headers":${headersJson(r)}}`;
  };
})();

export function toOffsetResult(o: TopicPartitionOffset): Schemas['TopicPartitionOffsetResult'] {
  return { topic: o.topic, partition: o.partition, offset: Number(o.offset) };
}

export const SUCCESS: Schemas['Success'] = { result: 'Success', status: 200 };
