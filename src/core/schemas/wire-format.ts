/**
 * Confluent's Schema Registry wire format, the one place it is written and read: magic byte 0, the schema id as a
 * 4-byte big-endian integer, then (Protobuf only) the message indexes, then the serialized payload.
 *
 * Message indexes name which message of the schema the payload is: the path of positions from the file's
 * top-level messages down through nested ones, written as a zigzag-varint count followed by zigzag-varint
 * indexes — except the common `[0]` (the first top-level message), which is written as the single byte 0.
 */
import { DomainError } from '../../errors/domain-error.js';

const MAGIC = 0;
const HEADER_BYTES = 5;

export interface FramedRecord {
  readonly schemaId: number;
  /** Everything after the 5-byte header (for Protobuf: the message indexes, then the payload). */
  readonly body: Buffer;
}

/** The header of a key or value; a clear 406 when the bytes are not in the wire format. */
export function readHeader(bytes: Buffer, what: string): FramedRecord {
  if (bytes.length < HEADER_BYTES || bytes[0] !== MAGIC) {
    throw new DomainError(
      'not_acceptable_format',
      `The ${what} is not in the Schema Registry wire format (magic byte 0 and a 4-byte schema id, then the data): read it with a binary-format consumer.`,
    );
  }
  return { schemaId: bytes.readUInt32BE(1), body: bytes.subarray(HEADER_BYTES) };
}

function zigzagVarint(value: number): number[] {
  let n = value >= 0 ? value * 2 : -value * 2 - 1;
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

function encodeMessageIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0]);
  return Buffer.from([indexes.length, ...indexes].flatMap(zigzagVarint));
}

/** The wire-format bytes of a payload; `messageIndexes` only (and always) for Protobuf. */
export function frame(schemaId: number, payload: Uint8Array, messageIndexes?: readonly number[]): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(MAGIC, 0);
  header.writeUInt32BE(schemaId, 1);
  const parts = messageIndexes === undefined ? [header, payload] : [header, encodeMessageIndexes(messageIndexes), payload];
  return Buffer.concat(parts);
}

class VarintReader {
  offset = 0;
  constructor(private readonly bytes: Buffer, private readonly what: string) {}

  next(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.bytes[this.offset++];
      if (byte === undefined || scale > 2 ** 28) {
        throw new DomainError('not_acceptable_format', `The ${this.what} has malformed Protobuf message indexes.`);
      }
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
    }
    return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
  }
}

/** Splits a Protobuf body into its message indexes and its payload. */
export function readMessageIndexes(body: Buffer, what: string): { indexes: number[]; payload: Buffer } {
  const reader = new VarintReader(body, what);
  const count = reader.next();
  if (count < 0 || count > body.length) throw new DomainError('not_acceptable_format', `The ${what} has malformed Protobuf message indexes.`);
  const indexes = count === 0 ? [0] : Array.from({ length: count }, () => reader.next());
  return { indexes, payload: body.subarray(reader.offset) };
}
