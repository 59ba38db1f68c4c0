/**
 * Fetched record batches waiting to be handed out, and the runs of them one poll takes. Whole batches are taken
 * by their header counts and sizes; only the batch where a limit falls is read record by record, so a poll costs
 * little more than writing its answer. What a poll takes is a list of runs (batch, start, count), read later
 * through one BatchCursor per run.
 */
import type { ConsumedRecord, JoinedRecords, PolledRecords, RecordText, RecordView, TopicPartitionOffset } from '../core/model.js';
import { TextJoiner } from '../core/record-text.js';
import { BatchCursor } from './record-batch.js';
import type { BatchPosition, DecodedBatch } from './record-batch.js';

/** The texts of a slice's records from `position` on, written ahead of the poll that takes them. */
interface WrittenAhead {
  readonly render: RecordText;
  readonly position: number;
  /** Undefined when a record could not be written (the poll then meets it itself). */
  readonly joined: Buffer | undefined;
}

/** Consecutive records of one batch. */
interface Run {
  readonly batch: DecodedBatch;
  readonly position: number;
  readonly index: number;
  readonly count: number;
  /** The offset after the run's last record. */
  readonly next: bigint;
  readonly ahead?: WrittenAhead;
}

/** A queued batch and how far it has been handed out. */
interface Slice {
  readonly batch: DecodedBatch;
  position: number;
  index: number;
  ahead?: WrittenAhead;
}

const left = (slice: Slice): number => slice.batch.count - slice.index;
/** An upper bound of the keys and values left in the slice: the bytes of its records. */
const bytesLeft = (slice: Slice): number => slice.batch.records.length - slice.position;

/** What was written ahead for the run with `text`, if anything. */
function aheadFor(run: Run, text: RecordText): Buffer | undefined {
  const ahead = run.ahead;
  return ahead?.render === text && ahead.position === run.position ? ahead.joined : undefined;
}

/** A guess of the JSON text of a batch's records from `position` on: about twice their bytes (base64 and names). */
const expectedTextBytes = (batch: DecodedBatch, position: number): number => 2 * (batch.records.length - position);

function toConsumedRecord(cursor: BatchCursor): ConsumedRecord {
  const { topic, partition, timestampMs } = cursor;
  return { topic, partition, offset: cursor.exactOffset.toString(), timestampMs, key: cursor.key(), value: cursor.value(), headers: cursor.headers() };
}

/** The records of a poll: runs of batches, read through a cursor. */
export class RecordRuns implements PolledRecords {
  readonly count: number;

  constructor(private readonly runs: readonly Run[]) {
    this.count = runs.reduce((sum, run) => sum + run.count, 0);
  }

  join(text: RecordText): JoinedRecords {
    const joiner = new TextJoiner(text, this.runs.reduce((sum, run) => sum + 1 + (aheadFor(run, text)?.length ?? expectedTextBytes(run.batch, run.position)), 0));
    for (const run of this.runs) {
      const ahead = aheadFor(run, text);
      if (ahead !== undefined) {
        joiner.addJoined(ahead, run.count);
        continue;
      }
      const cursor = new BatchCursor(run.batch, run);
      for (let i = 0; i < run.count && cursor.next(); i++) if (!joiner.add(cursor)) return joiner.result();
    }
    return joiner.result();
  }

  forEach(visit: (record: RecordView) => boolean | void): void {
    for (const run of this.runs) {
      const cursor = new BatchCursor(run.batch, run);
      for (let i = 0; i < run.count && cursor.next(); i++) if (visit(cursor) === false) return;
    }
  }

  nextOffsets(): TopicPartitionOffset[] {
    const next = new Map<string, TopicPartitionOffset>();
    for (const { batch, next: offset } of this.runs) {
      next.set(`${batch.partition}\u0000${batch.topic}`, { topic: batch.topic, partition: batch.partition, offset: offset.toString() });
    }
    return [...next.values()];
  }

  offsetsFrom(index: number): TopicPartitionOffset[] {
    const first = new Map<string, TopicPartitionOffset>();
    let before = 0;
    for (const run of this.runs) {
      const key = `${run.batch.partition}\u0000${run.batch.topic}`;
      const skip = Math.max(0, index - before);
      before += run.count;
      if (skip >= run.count || first.has(key)) continue;
      const cursor = new BatchCursor(run.batch, run);
      for (let i = 0; i <= skip && cursor.next(); i++);
      first.set(key, { topic: run.batch.topic, partition: run.batch.partition, offset: cursor.exactOffset.toString() });
    }
    return [...first.values()];
  }

  toArray(): ConsumedRecord[] {
    const records: ConsumedRecord[] = [];
    for (const run of this.runs) {
      const cursor = new BatchCursor(run.batch, run);
      for (let i = 0; i < run.count && cursor.next(); i++) records.push(toConsumedRecord(cursor));
    }
    return records;
  }
}

/** Batches in fetch order (per partition, by offset), handed out from the front. */
export class RecordQueue {
  private slices: Slice[] = [];
  private queuedRecords = 0;
  private queuedBytes = 0;

  /** Records queued. */
  get records(): number {
    return this.queuedRecords;
  }

  /** An upper bound of the key and value bytes queued (the bytes of their records). */
  get bytes(): number {
    return this.queuedBytes;
  }

  push(start: BatchPosition): void {
    const slice: Slice = { batch: start.batch, position: start.position, index: start.index };
    if (left(slice) <= 0) return;
    this.slices.push(slice);
    this.queuedRecords += left(slice);
    this.queuedBytes += bytesLeft(slice);
  }

  /** Writes the texts of the queued records that have none through `render` yet, for the polls to come. */
  writeAhead(render: RecordText): void {
    for (const slice of this.slices) {
      if (slice.ahead?.render === render && slice.ahead.position === slice.position) continue;
      const joiner = new TextJoiner(render, expectedTextBytes(slice.batch, slice.position));
      const cursor = new BatchCursor(slice.batch, slice);
      for (let i = left(slice); i > 0 && cursor.next(); i--) if (!joiner.add(cursor)) break;
      slice.ahead = { render, position: slice.position, joined: joiner.stopped ? undefined : joiner.result().bytes };
    }
  }

  /** Drops what is queued of one partition (after a seek or a lost assignment). */
  drop(topic: string, partition: number): void {
    this.slices = this.slices.filter((s) => s.batch.topic !== topic || s.batch.partition !== partition);
    this.recount();
  }

  clear(): void {
    this.slices = [];
    this.recount();
  }

  /** The first records, at most `maxRecords` and `maxBytes` of keys and values (but at least one when there is one). */
  take(maxRecords: number, maxBytes: number): RecordRuns {
    const runs: Run[] = [];
    let records = 0;
    let bytes = 0;
    while (this.slices.length > 0 && records < maxRecords) {
      const slice = this.slices[0]!;
      if (records + left(slice) <= maxRecords && bytes + bytesLeft(slice) <= maxBytes) {
        runs.push({
          batch: slice.batch,
          position: slice.position,
          index: slice.index,
          count: left(slice),
          next: slice.batch.lastOffset + 1n,
          ...(slice.ahead ? { ahead: slice.ahead } : {}),
        });
        records += left(slice);
        bytes += bytesLeft(slice);
        this.slices.shift();
        continue;
      }
      const part = this.takePart(slice, maxRecords - records, maxBytes - bytes, records === 0);
      if (part.run) runs.push(part.run);
      records += part.run?.count ?? 0;
      bytes += part.bytes;
      // The slice's size overstated its keys and values: all of it fitted, so the next one may too.
      if (!part.whole) break;
    }
    this.recount();
    return new RecordRuns(runs);
  }

  /** Records from the front of `slice` up to the limits, record by record; the slice keeps the rest. */
  private takePart(slice: Slice, maxRecords: number, maxBytes: number, first: boolean): { run?: Run; bytes: number; whole: boolean } {
    const cursor = new BatchCursor(slice.batch, slice);
    const start = { position: slice.position, index: slice.index };
    let count = 0;
    let bytes = 0;
    let next = 0n;
    let stopped = false;
    while (count < maxRecords) {
      if (!cursor.next()) break;
      if (bytes + cursor.size > maxBytes && !(first && count === 0)) {
        stopped = true;
        break;
      }
      bytes += cursor.size;
      count++;
      next = cursor.exactOffset + 1n;
      slice.position = cursor.position;
      slice.index = cursor.index;
    }
    const whole = !stopped && (left(slice) <= 0 || slice.position >= slice.batch.records.length);
    if (whole) this.slices.shift();
    return { ...(count > 0 ? { run: { batch: slice.batch, ...start, count, next } } : {}), bytes, whole };
  }

  private recount(): void {
    this.queuedRecords = 0;
    this.queuedBytes = 0;
    for (const slice of this.slices) {
      this.queuedRecords += left(slice);
      this.queuedBytes += bytesLeft(slice);
    }
  }
}
