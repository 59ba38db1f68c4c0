import { describe, expect, it } from 'vitest';
import { readAtLeastMinBytes } from '../../src/core/min-bytes-read.js';
import type { ReadOnce } from '../../src/core/min-bytes-read.js';
import type { ConsumedRecord, PolledRecords } from '../../src/core/model.js';
import { RecordList } from '../../src/core/record-list.js';

const offsets = (records: PolledRecords): string[] => records.toArray().map((r) => r.offset);

const record = (offset: number, bytes: number): ConsumedRecord => ({
  topic: 't', partition: 0, offset: String(offset), timestampMs: 0, key: null, value: Buffer.alloc(bytes), headers: [],
});

/**
 * Answers the queued batches one per read (within the record and byte bounds, always at least one record); once
 * they are used up, a read waits for its timeout and answers nothing, as a consumer's does.
 */
function reads(batches: ConsumedRecord[][]): { read: ReadOnce; calls: { maxRecords: number; maxBytes: number }[] } {
  const calls: { maxRecords: number; maxBytes: number }[] = [];
  const read: ReadOnce = async (timeoutMs, maxRecords, maxBytes) => {
    calls.push({ maxRecords, maxBytes });
    if (batches.length === 0) await new Promise((resolve) => setTimeout(resolve, timeoutMs));
    const batch = batches.shift() ?? [];
    let bytes = 0;
    return new RecordList(batch.filter((r, i) => i < maxRecords && ((bytes += r.value!.length) <= maxBytes || i === 0)));
  };
  return { read, calls };
}

describe("fetch.min.bytes, Confluent's rule", () => {
  it('keeps reading until more than minBytes are gathered, then answers with all of it', async () => {
    const { read, calls } = reads([[record(0, 4)], [record(1, 4)], [record(2, 4)], [record(3, 4)]]);
    const got = await readAtLeastMinBytes(read, { timeoutMs: 1000, maxRecords: 100, maxBytes: 1000, minBytes: 10 }, () => undefined);
    expect(offsets(got)).toEqual(['0', '1', '2']);
    expect(calls.map((c) => c.maxBytes)).toEqual([1000, 996, 992]);
  });

  it('answers at the timeout with what it has when minBytes is never reached (and with -1 always)', async () => {
    for (const minBytes of [100, -1]) {
      const { read } = reads([[record(0, 4)], [record(1, 4)]]);
      const got = await readAtLeastMinBytes(read, { timeoutMs: 30, maxRecords: 100, maxBytes: 1000, minBytes }, () => undefined);
      expect(offsets(got)).toEqual(['0', '1']);
    }
  });

  it('stops before a record that would pass maxBytes and puts the rest back', async () => {
    const back: ConsumedRecord[][] = [];
    const { read } = reads([[record(0, 8), record(1, 8)], [record(2, 8), record(3, 8)]]);
    const got = await readAtLeastMinBytes(read, { timeoutMs: 1000, maxRecords: 100, maxBytes: 20, minBytes: -1 }, (r) => back.push(r.toArray()));
    expect(offsets(got)).toEqual(['0', '1']);
    expect(back.map((b) => b.map((r) => r.offset))).toEqual([['2']]);
  });

  it('returns a first record larger than maxBytes on its own (at once), and stops at maxRecords', async () => {
    const big = reads([[record(0, 50)]]);
    expect(offsets(await readAtLeastMinBytes(big.read, { timeoutMs: 60_000, maxRecords: 100, maxBytes: 20, minBytes: 100 }, () => undefined))).toEqual(['0']);
    expect(big.calls).toHaveLength(1);
    const many = reads([[record(0, 1), record(1, 1)], [record(2, 1), record(3, 1)]]);
    expect(offsets(await readAtLeastMinBytes(many.read, { timeoutMs: 60_000, maxRecords: 3, maxBytes: 1000, minBytes: 100 }, () => undefined))).toEqual(['0', '1', '2']);
    expect(many.calls.map((c) => c.maxRecords)).toEqual([3, 1]);
  });
});
