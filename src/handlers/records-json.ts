/**
 * A consume answer written as JSON text straight from the fetched bytes: each record through its dialect's layout,
 * its key and value through a field formatter (base64 for binary, the JSON text for json, a UTF-8 string for
 * Upstash; schema formats plug in the same way) — no object per record and no JSON.stringify of a big array.
 */
import type { SerializedJson } from '../../generated/operations.js';
import type { PolledRecords, RecordText } from '../core/model.js';

/** The JSON text of a record's key or value, from its bytes; throws (a DomainError) when it cannot be shown. */
export type FieldJson = (bytes: Buffer, start: number, end: number, what: 'key' | 'value') => string;

/** One record's JSON text. */
export type RecordJson = RecordText;

export interface WrittenRecords<T> {
  readonly body: SerializedJson<T>;
  /** How many records the text holds: all, unless one could not be written. */
  readonly written: number;
  /** Why the record after the written ones could not be (the rest were not tried). */
  readonly failure?: unknown;
}

/**
 * The records as a JSON array, in order, up to the first one `recordJson` refuses. `recordJson` should be one
 * long-lived function per layout (a module constant): what a consumer wrote ahead with it is reused.
 */
export function recordsJson<T>(records: PolledRecords, recordJson: RecordJson): WrittenRecords<T> {
  const { array, written, failure } = records.join(recordJson);
  return { body: { serializedJson: array() }, written, ...(failure === undefined ? {} : { failure }) };
}

/** Base64 text of the bytes, as a JSON string (base64 needs no escaping). */
export const base64Field: FieldJson = (bytes, start, end) => `"${bytes.toString('base64', start, end)}"`;

/** The bytes as UTF-8 text, as a JSON string. */
export const utf8Field: FieldJson = (bytes, start, end) => JSON.stringify(bytes.toString('utf8', start, end));

/** A topic name's JSON text, kept while the records stay in one topic (they come in runs of one partition). */
export function topicJson(): (topic: string) => string {
  let last: string | undefined;
  let json = '';
  return (topic) => {
    if (topic !== last) {
      last = topic;
      json = JSON.stringify(topic);
    }
    return json;
  };
}
