/**
 * Confluent's `fetch.min.bytes` rule for a consumer instance's `records` call: keep reading until the keys and
 * values gathered exceed `minBytes`, or the next record would pass `maxBytes`, or the time is up (`-1`: gather
 * for the whole time) — then answer with everything gathered. (Confluent's KafkaConsumerReadTask: it stops once
 * `bytesConsumed > responseMinBytes`, and a negative setting never stops it early.)
 */
import type { ConsumedRecord } from './model.js';

/** One read of whatever is there within `timeoutMs` (or arrives first), within the record and byte bounds. */
export type ReadOnce = (timeoutMs: number, maxRecords: number, maxBytes: number) => Promise<ConsumedRecord[]>;

export interface MinBytesBounds {
  readonly timeoutMs: number;
  readonly maxRecords: number;
  readonly maxBytes: number;
  /** `-1` (or any negative): never enough before the timeout. */
  readonly minBytes: number;
}

export function recordBytes(r: ConsumedRecord): number {
  return (r.key?.length ?? 0) + (r.value?.length ?? 0);
}

/**
 * Reads until the bounds say stop. Records of a read that would pass `maxBytes` are handed to `putBack` (the
 * instance reads them again next time) rather than returned.
 */
export async function readAtLeastMinBytes(read: ReadOnce, bounds: MinBytesBounds, putBack: (records: readonly ConsumedRecord[]) => void): Promise<ConsumedRecord[]> {
  const deadline = Date.now() + bounds.timeoutMs;
  const enough = bounds.minBytes < 0 ? Number.POSITIVE_INFINITY : bounds.minBytes;
  const gathered: ConsumedRecord[] = [];
  let bytes = 0;
  for (;;) {
    const remaining = deadline - Date.now();
    const room = bounds.maxRecords - gathered.length;
    if (room <= 0 || bytes > enough || bytes >= bounds.maxBytes) return gathered;
    const batch = await read(Math.max(0, remaining), room, bounds.maxBytes - bytes);
    const fitting = countFitting(batch, bounds.maxBytes - bytes, gathered.length === 0);
    for (const record of batch.slice(0, fitting)) bytes += recordBytes(record);
    gathered.push(...batch.slice(0, fitting));
    if (fitting < batch.length) {
      putBack(batch.slice(fitting));
      return gathered;
    }
    if (remaining <= 0) return gathered;
  }
}

/** How many records of the batch stay within `room` bytes (the very first record of the answer always does). */
function countFitting(batch: readonly ConsumedRecord[], room: number, first: boolean): number {
  let used = 0;
  for (let i = 0; i < batch.length; i++) {
    used += recordBytes(batch[i]!);
    if (used > room && !(first && i === 0)) return i;
  }
  return batch.length;
}
