/** Joins records' texts with commas, stopping at the first record its RecordText refuses. */
import type { JoinedRecords, RecordText, RecordView } from './model.js';

export class TextJoiner {
  private text = '';
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
    this.addText(text, 1);
    return true;
  }

  /** Adds the already joined texts of `count` records. */
  addText(text: string, count: number): void {
    this.text += this.written === 0 ? text : `,${text}`;
    this.written += count;
  }

  get stopped(): boolean {
    return this.failed;
  }

  result(): JoinedRecords {
    return { text: this.text, written: this.written, ...(this.failed ? { failure: this.failure } : {}) };
  }
}
