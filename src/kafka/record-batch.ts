/**
 * Kafka record batches (message format v2, "magic 2") as a Fetch response carries them: the batch header, the
 * complete batches of a partition's record set, and a cursor that reads the records of a batch one at a time from
 * its (decompressed) bytes — no object per record; keys, values and headers stay ranges of the fetched buffer until
 * someone asks for them.
 */
import type { RecordView } from '../core/model.js';
import { ByteReader } from './byte-reader.js';

export interface CompressionCodec {
  decompress(buffer: Buffer): Promise<Buffer>;
}

export type CodecLookup = (attributes: number) => CompressionCodec | null;

/** A batch's header, and its records section as sent (compressed when the attributes say so). */
export interface RecordBatch {
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
  readonly producerId: bigint;
  readonly attributes: number;
  readonly baseTimestamp: bigint;
  readonly maxTimestamp: bigint;
  readonly count: number;
  readonly body: Buffer;
}

/** A batch ready to be read: its records decompressed, with what every record's fields are relative to. */
export interface DecodedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
  readonly baseTimestamp: number;
  /** The topic uses LogAppendTime: every record's timestamp is the batch's max timestamp. */
  readonly logAppendTime: number | null;
  readonly count: number;
  readonly records: Buffer;
}

/** Where in a batch reading starts: the byte position of a record and its index. */
export interface BatchPosition {
  readonly batch: DecodedBatch;
  readonly position: number;
  readonly index: number;
}

const BATCH_PREFIX_BYTES = 12; // baseOffset, batchLength
const TIMESTAMP_TYPE_LOG_APPEND = 0x08;
const TRANSACTIONAL_FLAG = 0x10;
const CONTROL_FLAG = 0x20;

export const isControl = (batch: RecordBatch): boolean => (batch.attributes & CONTROL_FLAG) !== 0;
export const isTransactional = (batch: RecordBatch): boolean => (batch.attributes & TRANSACTIONAL_FLAG) !== 0;

function decodeBatch(bytes: Buffer): RecordBatch {
  const reader = new ByteReader(bytes);
  const baseOffset = reader.int64();
  reader.int32(); // batch length
  reader.int32(); // partition leader epoch
  const magic = reader.int8();
  if (magic !== 2) throw new Error(`record batch in message format v${magic} (only v2 is read)`);
  reader.int32(); // crc: the broker validated it on append
  const attributes = reader.int16();
  const lastOffsetDelta = reader.int32();
  const baseTimestamp = reader.int64();
  const maxTimestamp = reader.int64();
  const producerId = reader.int64();
  reader.int16(); // producer epoch
  reader.int32(); // base sequence
  const count = Math.max(reader.int32(), 0);
  const lastOffset = baseOffset + BigInt(lastOffsetDelta);
  const body = reader.bytes(reader.remaining());
  return { baseOffset, lastOffset, producerId, attributes, baseTimestamp, maxTimestamp, count, body };
}

/** Complete batches only: a fetch cut short by maxBytes ends with a partial batch, which is left for later. */
export function completeBatches(recordSet: Buffer | null): RecordBatch[] {
  if (recordSet === null) return [];
  const batches: RecordBatch[] = [];
  for (let start = 0; recordSet.length - start >= BATCH_PREFIX_BYTES; ) {
    const end = start + BATCH_PREFIX_BYTES + recordSet.readInt32BE(start + 8);
    if (end > recordSet.length) break;
    batches.push(decodeBatch(recordSet.subarray(start, end)));
    start = end;
  }
  return batches;
}

/** The batch with its records decompressed. */
export async function decodeRecords(topic: string, partition: number, batch: RecordBatch, codecFor: CodecLookup): Promise<DecodedBatch> {
  const codec = codecFor(batch.attributes);
  return {
    topic,
    partition,
    baseOffset: batch.baseOffset,
    lastOffset: batch.lastOffset,
    baseTimestamp: Number(batch.baseTimestamp),
    logAppendTime: batch.attributes & TIMESTAMP_TYPE_LOG_APPEND ? Number(batch.maxTimestamp) : null,
    count: batch.count,
    records: codec ? await codec.decompress(batch.body) : batch.body,
  };
}

const MALFORMED = 'read past the end of a record batch';
/** Most records have no headers: one shared empty list. */
const NO_HEADERS: readonly { key: string; value: Buffer | null }[] = Object.freeze([]);

/**
 * Reads a decoded batch's records in order: `next()` moves to the following record and sets the fields of
 * RecordView. One cursor serves a whole batch (or a run of it); the fields are only valid until the next `next()`.
 */
export class BatchCursor implements RecordView {
  readonly topic: string;
  readonly partition: number;
  offset = 0;
  timestampMs = 0;
  keyBuffer: Buffer | null = null;
  keyStart = 0;
  keyEnd = 0;
  valueBuffer: Buffer | null = null;
  valueStart = 0;
  valueEnd = 0;
  /** The offset delta of the current record (exact, unlike `offset` beyond 2^53). */
  offsetDelta = 0;
  /** Byte position of the next record, and its index in the batch. */
  position: number;
  index: number;
  private readonly records: Buffer;
  private readonly base: number;
  private headerCount = 0;
  private headersAt = 0;
  private at = 0;

  constructor(
    readonly batch: DecodedBatch,
    start: { position: number; index: number } = { position: 0, index: 0 },
  ) {
    this.topic = batch.topic;
    this.partition = batch.partition;
    this.records = batch.records;
    this.base = Number(batch.baseOffset);
    this.position = start.position;
    this.index = start.index;
  }

  /** The current record's offset as Kafka's int64. */
  get exactOffset(): bigint {
    return this.batch.baseOffset + BigInt(this.offsetDelta);
  }

  /** Moves to the next record; false when the batch has no more. */
  next(): boolean {
    if (this.index >= this.batch.count || this.position >= this.records.length) return false;
    this.at = this.position;
    const length = this.varint();
    const end = this.at + length;
    if (length < 0 || end > this.records.length) throw new RangeError(MALFORMED);
    this.at += 1; // record attributes: unused by the protocol
    const timestampDelta = this.varint();
    this.offsetDelta = this.varint();
    const keyLength = this.varint();
    this.keyStart = this.at;
    this.keyBuffer = keyLength < 0 ? null : this.records;
    this.at += Math.max(keyLength, 0);
    this.keyEnd = this.at;
    const valueLength = this.varint();
    this.valueStart = this.at;
    this.valueBuffer = valueLength < 0 ? null : this.records;
    this.at += Math.max(valueLength, 0);
    this.valueEnd = this.at;
    if (this.at > end) throw new RangeError(MALFORMED);
    this.headerCount = this.varint();
    this.headersAt = this.at;
    this.offset = this.base + this.offsetDelta;
    this.timestampMs = this.batch.logAppendTime ?? this.batch.baseTimestamp + timestampDelta;
    this.position = end;
    this.index += 1;
    return true;
  }

  /** The current record's key as its own Buffer (a view of the batch's bytes), or null. */
  key(): Buffer | null {
    return this.keyBuffer === null ? null : this.keyBuffer.subarray(this.keyStart, this.keyEnd);
  }

  /** The current record's value as its own Buffer (a view of the batch's bytes), or null. */
  value(): Buffer | null {
    return this.valueBuffer === null ? null : this.valueBuffer.subarray(this.valueStart, this.valueEnd);
  }

  /** Key and value bytes of the current record (what max_bytes limits count). */
  get size(): number {
    return this.keyEnd - this.keyStart + (this.valueEnd - this.valueStart);
  }

  /** The current record's headers, in record order, repeated keys kept. */
  headers(): readonly { key: string; value: Buffer | null }[] {
    if (this.headerCount <= 0) return NO_HEADERS;
    const reader = new ByteReader(this.records.subarray(this.headersAt, this.position));
    return Array.from({ length: this.headerCount }, () => ({ key: reader.varBytes()?.toString('utf8') ?? '', value: reader.varBytes() }));
  }

  private varint(): number {
    let raw = 0;
    for (let scale = 1; ; scale *= 128) {
      const byte = this.records[this.at++];
      if (byte === undefined) throw new RangeError(MALFORMED);
      raw += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) break;
      if (scale > 2 ** 56) throw new RangeError('malformed varint in a record batch');
    }
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }
}

/** Where the batch's first record at or after `from` is; undefined when it has none. */
export function positionOf(batch: DecodedBatch, from: bigint): BatchPosition | undefined {
  if (batch.lastOffset < from || batch.count === 0) return undefined;
  const cursor = new BatchCursor(batch);
  const firstDelta = from > batch.baseOffset ? Number(from - batch.baseOffset) : 0;
  for (let position = 0, index = 0; cursor.next(); position = cursor.position, index = cursor.index) {
    if (cursor.offsetDelta >= firstDelta) return { batch, position, index };
  }
  return undefined;
}
