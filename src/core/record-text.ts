/**
 * Joins records' texts with commas into bytes, stopping at the first record its RecordText refuses. The bytes grow
 * in one Buffer: an answer of thousands of records never becomes one large string, which the garbage collector
 * would have to move and the response would have to encode again (30% and 20% of the consume CPU when it was).
 */
import type { JoinedRecords, RecordText, RecordView } from './model.js';

const INITIAL_BYTES = 16 * 1024;
const COMMA = 0x2c;

export class TextJoiner {
  private bytes = Buffer.allocUnsafe(INITIAL_BYTES);
  private length = 0;
  private written = 0;
  private failure: unknown;
  private failed = false;

  constructor(private readonly render: RecordText) {}

  /** Adds one record's text; false (and the reason kept) when it cannot be written. */
  add(record: RecordView): boolean {
    let text: string;
    try {
      text = this.render(record);
    } catch (error) {
      this.failure = error;
      this.failed = true;
      return false;
    }
    this.separate(text.length * 3);
    this.length += this.bytes.write(text, this.length, 'utf8');
    this.written += 1;
    return true;
  }

  /** Adds the already joined texts of `count` records. */
  addJoined(joined: Buffer, count: number): void {
    this.separate(joined.length);
    this.length += joined.copy(this.bytes, this.length);
    this.written += count;
  }

  get stopped(): boolean {
    return this.failed;
  }

  result(): JoinedRecords {
    return { bytes: this.bytes.subarray(0, this.length), written: this.written, ...(this.failed ? { failure: this.failure } : {}) };
  }

  /** Room for a comma (after the first record) and `bytes` more. */
  private separate(bytes: number): void {
    const needed = this.length + bytes + 1;
    if (needed > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    if (this.written > 0) this.bytes[this.length++] = COMMA;
  }
}
