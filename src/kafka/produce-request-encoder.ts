/**
 * The payload of a Kafka Produce request (versions 3–7 share it) with uncompressed record batches (magic 2),
 * written into one buffer sized up front: each record's varints straight into it, no object or buffer per record.
 * The bytes are those kafkajs 2.2.4 writes for the same input (test/unit/produce-request-encoder.test.ts compares
 * them), except that a batch's first and maximum timestamps are the numeric minimum and maximum of its records'
 * (kafkajs sorts them as strings, which differs only for timestamps of different digit counts).
 *
 * Returns undefined for input it does not take (compression, or values kafkajs would coerce), so that the caller
 * can let kafkajs encode it.
 */
import { crc32c } from './crc32c.js';

type Bytes = Buffer | string;
type HeaderValues = Bytes | readonly Bytes[];

export interface EncodableMessage {
  readonly key?: Bytes | null;
  readonly value: Bytes | null;
  readonly headers?: Readonly<Record<string, HeaderValues | undefined>>;
  readonly timestamp?: string | number | null;
}

export interface EncodablePartition {
  readonly partition: number;
  readonly firstSequence?: number;
  readonly messages: readonly EncodableMessage[];
}

export interface ProducePayload {
  readonly acks: number;
  readonly timeout: number;
  readonly transactionalId: string | null;
  /** 64-bit, -1 when the producer is not idempotent. */
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly topicData: readonly { readonly topic: string; readonly partitions: readonly EncodablePartition[] }[];
}

const MAGIC = 2;
const TRANSACTIONAL = 16;
/** partition, batch size, first offset, batch length, leader epoch, magic, CRC. */
const PARTITION_HEAD = 4 + 4 + 8 + 4 + 4 + 1 + 4;
/** attributes, last offset delta, first and max timestamp, producer id and epoch, first sequence, record count. */
const BATCH_BODY_HEAD = 2 + 4 + 8 + 8 + 8 + 2 + 4 + 4;

const isBytes = (value: unknown): value is Bytes => typeof value === 'string' || Buffer.isBuffer(value);
const byteLength = (value: Bytes): number => (typeof value === 'string' ? Buffer.byteLength(value) : value.length);
const zigZag32 = (value: number): number => ((value << 1) ^ (value >> 31)) >>> 0;

function sizeOfUVarInt(value: number): number {
  let bytes = 1;
  while ((value & 0xffffff80) !== 0) {
    bytes++;
    value >>>= 7;
  }
  return bytes;
}

const sizeOfVarInt = (value: number): number => sizeOfUVarInt(zigZag32(value));

/** A safe integer's zig-zag value (exact as a double: |value| < 2^52). */
const zigZag64 = (value: number): number => (value >= 0 ? value * 2 : -value * 2 - 1);

function sizeOfVarLong(value: number): number {
  let zz = zigZag64(value);
  let bytes = 1;
  while (zz >= 0x80) {
    bytes++;
    zz = Math.floor(zz / 0x80);
  }
  return bytes;
}

const sizeOfVarBytes = (value: Bytes | null | undefined): number => {
  if (value === null || value === undefined) return 1;
  const length = byteLength(value);
  return sizeOfVarInt(length) + length;
};

/** The timestamp as epoch ms, undefined when absent, NaN when it is not a safe integer (kafkajs then encodes). */
function timestampOf(message: EncodableMessage): number | undefined {
  const ts = message.timestamp;
  if (ts === null || ts === undefined) return undefined;
  const ms = typeof ts === 'number' || typeof ts === 'string' ? Number(ts) : Number.NaN;
  return Number.isSafeInteger(ms) && ts !== '' ? ms : Number.NaN;
}

/** Calls `each` for every header in kafkajs's order: the names' key order, a name's values in theirs. */
function forEachHeader(headers: EncodableMessage['headers'], each: (key: string, value: Bytes) => void): boolean {
  if (headers === undefined) return true;
  for (const key of Object.keys(headers)) {
    const values = headers[key];
    if (Array.isArray(values)) {
      for (const value of values as readonly unknown[]) {
        if (!isBytes(value)) return false;
        each(key, value);
      }
    } else if (isBytes(values)) each(key, values);
    else return false;
  }
  return true;
}

class Writer {
  offset = 0;
  constructor(readonly buf: Buffer) {}

  int8(value: number): void {
    this.buf[this.offset++] = value;
  }
  int16(value: number): void {
    this.offset = this.buf.writeInt16BE(value, this.offset);
  }
  int32(value: number): void {
    this.offset = this.buf.writeInt32BE(value, this.offset);
  }
  int64(value: bigint): void {
    this.offset = this.buf.writeBigInt64BE(value, this.offset);
  }
  uvarint(value: number): void {
    const buf = this.buf;
    let offset = this.offset;
    while ((value & 0xffffff80) !== 0) {
      buf[offset++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    buf[offset++] = value;
    this.offset = offset;
  }
  varint(value: number): void {
    this.uvarint(zigZag32(value));
  }
  varlong(value: number): void {
    let zz = zigZag64(value);
    while (zz >= 0x80) {
      this.buf[this.offset++] = (zz % 0x80) | 0x80;
      zz = Math.floor(zz / 0x80);
    }
    this.buf[this.offset++] = zz;
  }
  raw(value: Bytes, length: number): void {
    if (typeof value === 'string') this.buf.write(value, this.offset, length, 'utf8');
    else value.copy(this.buf, this.offset);
    this.offset += length;
  }
  /** Int16 length and UTF-8 text; -1 for null. */
  string(value: string | null): void {
    if (value === null) return this.int16(-1);
    const length = Buffer.byteLength(value);
    this.int16(length);
    this.raw(value, length);
  }
  /** Varint length and bytes; -1 for null. */
  varBytes(value: Bytes | null | undefined): void {
    if (value === null || value === undefined) return this.varint(-1);
    const length = byteLength(value);
    this.varint(length);
    this.raw(value, length);
  }
}

interface BatchPlan {
  readonly firstTimestamp: number;
  readonly maxTimestamp: number;
  readonly now: number;
  /** Each record's body size (after its own varint length). */
  readonly bodySizes: number[];
  readonly recordsBytes: number;
}

function planBatch(messages: readonly EncodableMessage[], now: number): BatchPlan | undefined {
  let first = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const message of messages) {
    const ts = timestampOf(message);
    if (Number.isNaN(ts)) return undefined;
    if (ts === undefined) continue;
    if (ts < first) first = ts;
    if (ts > max) max = ts;
  }
  if (first === Number.POSITIVE_INFINITY) first = max = now;
  const bodySizes: number[] = new Array<number>(messages.length);
  let recordsBytes = 0;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    if ((message.key != null && !isBytes(message.key)) || (message.value != null && !isBytes(message.value))) return undefined;
    let headerCount = 0;
    let headerBytes = 0;
    const headersOk = forEachHeader(message.headers, (key, value) => {
      headerCount++;
      headerBytes += sizeOfVarBytes(key) + sizeOfVarBytes(value);
    });
    if (!headersOk) return undefined;
    const delta = (timestampOf(message) || now) - first;
    const body = 1 + sizeOfVarLong(delta) + sizeOfVarInt(i) + sizeOfVarBytes(message.key) + sizeOfVarBytes(message.value) + sizeOfVarInt(headerCount) + headerBytes;
    bodySizes[i] = body;
    recordsBytes += sizeOfVarInt(body) + body;
  }
  return { firstTimestamp: first, maxTimestamp: max, now, bodySizes, recordsBytes };
}

function writePartition(w: Writer, data: EncodablePartition, plan: BatchPlan, payload: ProducePayload): void {
  const bodyLength = BATCH_BODY_HEAD + plan.recordsBytes;
  const batchLength = 4 + 1 + 4 + bodyLength;
  w.int32(data.partition);
  w.int32(8 + 4 + batchLength);
  w.int64(0n);
  w.int32(batchLength);
  w.int32(0); // partition leader epoch
  w.int8(MAGIC);
  const crcAt = w.offset;
  w.offset += 4;
  const bodyAt = w.offset;
  w.int16(payload.transactionalId ? TRANSACTIONAL : 0); // kafkajs: an empty id is none
  w.int32(data.messages.length - 1);
  w.int64(BigInt(plan.firstTimestamp));
  w.int64(BigInt(plan.maxTimestamp));
  w.int64(payload.producerId);
  w.int16(payload.producerEpoch);
  w.int32(data.firstSequence ?? 0);
  w.int32(data.messages.length);
  data.messages.forEach((message, i) => {
    w.varint(plan.bodySizes[i]!);
    w.int8(0); // record attributes
    w.varlong((timestampOf(message) || plan.now) - plan.firstTimestamp);
    w.varint(i);
    w.varBytes(message.key);
    w.varBytes(message.value);
    let count = 0;
    forEachHeader(message.headers, () => count++);
    w.varint(count);
    forEachHeader(message.headers, (key, value) => {
      w.varBytes(key);
      w.varBytes(value);
    });
  });
  w.buf.writeUInt32BE(crc32c(w.buf.subarray(bodyAt, w.offset)), crcAt);
}

/** The request payload (after the request header), or undefined when kafkajs should encode it. */
export function encodeProducePayload(payload: ProducePayload, now: number = Date.now()): Buffer | undefined {
  const plans: BatchPlan[] = [];
  let size = 2 + (payload.transactionalId === null ? 0 : Buffer.byteLength(payload.transactionalId)) + 2 + 4 + 4;
  for (const { topic, partitions } of payload.topicData) {
    size += 2 + Buffer.byteLength(topic) + 4;
    for (const data of partitions) {
      const plan = planBatch(data.messages, now);
      if (plan === undefined) return undefined;
      plans.push(plan);
      size += PARTITION_HEAD + BATCH_BODY_HEAD + plan.recordsBytes;
    }
  }
  const w = new Writer(Buffer.allocUnsafe(size));
  w.string(payload.transactionalId);
  w.int16(payload.acks);
  w.int32(payload.timeout);
  w.int32(payload.topicData.length);
  let next = 0;
  for (const { topic, partitions } of payload.topicData) {
    w.string(topic);
    w.int32(partitions.length);
    for (const data of partitions) writePartition(w, data, plans[next++]!, payload);
  }
  if (w.offset !== size) throw new Error(`produce request encoder: wrote ${w.offset} of ${size} bytes`);
  return w.buf;
}
