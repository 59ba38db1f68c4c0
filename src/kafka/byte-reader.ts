/** Reads Kafka's big-endian wire primitives from a Buffer, with bounds checks (a malformed response fails cleanly). */
export class ByteReader {
  position = 0;
  constructor(readonly buffer: Buffer) {}

  remaining(): number {
    return this.buffer.length - this.position;
  }
  int8(): number {
    return this.buffer.readInt8(this.advance(1));
  }
  int16(): number {
    return this.buffer.readInt16BE(this.advance(2));
  }
  int32(): number {
    return this.buffer.readInt32BE(this.advance(4));
  }
  int64(): bigint {
    return this.buffer.readBigInt64BE(this.advance(8));
  }
  bytes(length: number): Buffer {
    const start = this.advance(length);
    return this.buffer.subarray(start, start + length);
  }
  string(): string {
    return this.bytes(this.int16()).toString('utf8');
  }
  nullableBytes(): Buffer | null {
    const length = this.int32();
    return length < 0 ? null : this.bytes(length);
  }
  array<T>(item: (reader: ByteReader) => T): T[] {
    const length = this.int32();
    return Array.from({ length: Math.max(length, 0) }, () => item(this));
  }
  /** Zig-zag varint/varlong, in plain number arithmetic: exact up to 2^53, which deltas and lengths never reach. */
  varLong(): number {
    const [value, next] = readVarLong(this.buffer, this.position, this.buffer.length);
    this.position = next;
    return value;
  }
  varBytes(): Buffer | null {
    const length = this.varLong();
    return length < 0 ? null : this.bytes(length);
  }
  seek(position: number): void {
    if (position > this.buffer.length) throw new RangeError('read past the end of a Kafka response');
    this.position = position;
  }

  private advance(length: number): number {
    if (length > this.remaining()) throw new RangeError('read past the end of a Kafka response');
    const start = this.position;
    this.position += length;
    return start;
  }
}

/** The zig-zag varlong at `position` (before `end`) and the position after it. */
export function readVarLong(buffer: Buffer, position: number, end: number): [value: number, next: number] {
  let raw = 0;
  let at = position;
  for (let scale = 1; ; scale *= 128) {
    if (at >= end) throw new RangeError('read past the end of a Kafka response');
    const byte = buffer[at++]!;
    raw += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) break;
    if (scale > 2 ** 56) throw new RangeError('malformed varint in a record batch');
  }
  return [raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2, at];
}
