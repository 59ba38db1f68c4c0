/**
 * Where the core services count the records they move, for the dialect whose handlers they serve. Implemented by
 * src/metrics/ (Prometheus counters); the services know nothing of metrics beyond this port.
 */
import type { ErrorKind } from '../errors/domain-error.js';
import type { PolledRecords, RecordView } from './model.js';

export interface TrafficMeter {
  /** Records Kafka acknowledged, and their key and value bytes. */
  produced(records: number, bytes: number): void;
  /** A produce that failed (a whole all-or-nothing request, or one record answered on its own). */
  produceFailed(kind: ErrorKind): void;
  /** Records handed to a client (consumer instances and stateless reads), and their key and value bytes. */
  consumed(records: number, bytes: number): void;
}

export const NO_METER: TrafficMeter = {
  produced: () => undefined,
  produceFailed: () => undefined,
  consumed: () => undefined,
};

function byteLength(data: Buffer | string | null): number {
  if (data === null) return 0;
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
}

/** Key and value bytes of records (headers are not counted). */
export function payloadBytes(records: readonly { readonly key: Buffer | string | null; readonly value: Buffer | string | null }[]): number {
  let bytes = 0;
  for (const record of records) bytes += byteLength(record.key) + byteLength(record.value);
  return bytes;
}

/** Key and value bytes of one record seen through a view. */
export function viewPayloadBytes(r: RecordView): number {
  return (r.keyBuffer ? r.keyEnd - r.keyStart : 0) + (r.valueBuffer ? r.valueEnd - r.valueStart : 0);
}

/** Key and value bytes of a poll's records (one walk of their cursor; no object per record). */
export function polledPayloadBytes(records: PolledRecords): number {
  let bytes = 0;
  records.forEach((r) => {
    bytes += viewPayloadBytes(r);
  });
  return bytes;
}
