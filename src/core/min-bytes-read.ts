/**
 * Confluent's `fetch.min.bytes` rule for a consumer instance's `records` call: keep reading until the keys and
 * values gathered exceed `minBytes`, or the next record would pass `maxBytes`, or the time is up (`-1`: gather
 * for the whole time) — then answer with everything gathered. (Confluent's KafkaConsumerReadTask: it stops once
 * `bytesConsumed > responseMinBytes`, and a negative setting never stops it early.)
 */
import type { PolledRecords } from './model.js';
import { PollSequence } from './poll-sequence.js';
import { polledPayloadBytes } from './traffic-meter.js';

/** One read of whatever is there within `timeoutMs` (or arrives first), within the record and byte bounds. */
export type ReadOnce = (timeoutMs: number, maxRecords: number, maxBytes: number) => Promise<PolledRecords>;

export interface MinBytesBounds {
  readonly timeoutMs: number;
  readonly maxRecords: number;
  readonly maxBytes: number;
  /** `-1` (or any negative): never enough before the timeout. */
  readonly minBytes: number;
}

/**
 * Reads until the bounds say stop. A read whose records would pass `maxBytes` is handed to `putBack` whole (the
 * instance reads it again next time) rather than returned: a read keeps within the byte room it is given except
 * for its one first record, so such a read holds just that record.
 */
export async function readAtLeastMinBytes(read: ReadOnce, bounds: MinBytesBounds, putBack: (records: PolledRecords) => void): Promise<PolledRecords> {
  const deadline = Date.now() + bounds.timeoutMs;
  const enough = bounds.minBytes < 0 ? Number.POSITIVE_INFINITY : bounds.minBytes;
  const gathered = new PollSequence();
  let bytes = 0;
  for (;;) {
    const remaining = deadline - Date.now();
    const room = bounds.maxRecords - gathered.count;
    if (room <= 0 || bytes > enough || bytes >= bounds.maxBytes) return gathered;
    const batch = await read(Math.max(0, remaining), room, bounds.maxBytes - bytes);
    const batchBytes = polledPayloadBytes(batch);
    if (batchBytes > bounds.maxBytes - bytes && gathered.count > 0) {
      putBack(batch);
      return gathered;
    }
    bytes += batchBytes;
    gathered.add(batch);
    if (remaining <= 0) return gathered;
  }
}
