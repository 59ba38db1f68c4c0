/** Our records as the kafkajs producer takes them, and what the producer needs to know about a batch of them. */
import type { IHeaders, Message } from 'kafkajs';
import type { ProduceRecord } from '../core/model.js';

export type PinnedMessage = Message & { partition?: number; timestamp: string };

/**
 * Headers as kafkajs takes them: an object of name → values, which it writes in `Object.keys` order, one header
 * per value. A plain object would put integer-like names ("1") first and break on names such as "constructor" or
 * "__proto__"; this view keeps the names' first-appearance order and any name. Repeated names are written
 * together at their first position (the object form cannot interleave them), and a null value as empty bytes
 * (kafkajs cannot write a null header value).
 */
function kafkajsHeaders(headers: ProduceRecord['headers']): IHeaders {
  const byName = new Map<string, (Buffer | string)[]>();
  for (const h of headers) {
    const values = byName.get(h.key) ?? [];
    values.push(h.value ?? Buffer.alloc(0));
    byName.set(h.key, values);
  }
  const own = (name: string | symbol): name is string => typeof name === 'string' && byName.has(name);
  return new Proxy<IHeaders>(
    {},
    {
      ownKeys: () => [...byName.keys()],
      getOwnPropertyDescriptor: (_target, name) => (own(name) ? { value: byName.get(name), enumerable: true, configurable: true, writable: false } : undefined),
      get: (_target, name) => (own(name) ? byName.get(name) : undefined),
      has: (_target, name) => own(name),
    },
  );
}

export function toMessage(record: ProduceRecord, timestamp: string): PinnedMessage {
  const message: PinnedMessage = { key: record.key, value: record.value, timestamp };
  if (record.partition !== undefined) message.partition = record.partition;
  // Most records have none: no header view to build, and kafkajs's encoder has nothing to walk.
  if (record.headers.length > 0) message.headers = kafkajsHeaders(record.headers);
  return message;
}

export interface SentMessage {
  readonly topic: string;
  readonly message: PinnedMessage;
}

/** What a call weighs in a coalesced request: its records with a fixed overhead each. */
export function sizeOf(records: readonly ProduceRecord[]): number {
  let bytes = 0;
  for (const r of records) {
    bytes += 64 + (r.key?.length ?? 0) + (r.value?.length ?? 0);
    for (const h of r.headers) bytes += h.key.length + (h.value?.length ?? 0);
  }
  return bytes;
}

/** Whether all messages went to one partition of one topic (the partitioner pins each message's choice). */
export function onePartition(sent: readonly SentMessage[]): boolean {
  return new Set(sent.map(({ topic, message }) => `${topic}\u0000${message.partition ?? -1}`)).size <= 1;
}
