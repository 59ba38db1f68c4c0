/** Several polls' records as one PolledRecords, in poll order: what a fetch.min.bytes read gathers. */
import type { ConsumedRecord, JoinedRecords, PolledRecords, RecordText, RecordView, TopicPartitionOffset } from './model.js';
import { TextJoiner } from './record-text.js';

const tpKey = (r: { topic: string; partition: number }): string => `${r.partition}\u0000${r.topic}`;

export class PollSequence implements PolledRecords {
  private readonly parts: PolledRecords[] = [];
  private total = 0;

  get count(): number {
    return this.total;
  }

  add(records: PolledRecords): void {
    if (records.count === 0) return;
    this.parts.push(records);
    this.total += records.count;
  }

  /** Each part joins its own records (reusing what was written ahead for it); the parts' texts are joined in turn. */
  join(text: RecordText): JoinedRecords {
    if (this.parts.length === 1) return this.parts[0]!.join(text);
    const joiner = new TextJoiner(text);
    for (const part of this.parts) {
      const { bytes, written, failure } = part.join(text);
      if (written > 0) joiner.addJoined(bytes, written);
      if (failure !== undefined) return { ...joiner.result(), failure };
    }
    return joiner.result();
  }

  forEach(visit: (record: RecordView) => boolean | void): void {
    let stopped = false;
    for (const part of this.parts) {
      part.forEach((record) => (stopped = visit(record) === false) === false);
      if (stopped) return;
    }
  }

  nextOffsets(): TopicPartitionOffset[] {
    const next = new Map<string, TopicPartitionOffset>();
    for (const part of this.parts) for (const offset of part.nextOffsets()) next.set(tpKey(offset), offset);
    return [...next.values()];
  }

  offsetsFrom(index: number): TopicPartitionOffset[] {
    const first = new Map<string, TopicPartitionOffset>();
    let before = 0;
    for (const part of this.parts) {
      if (index < before + part.count) {
        for (const offset of part.offsetsFrom(Math.max(0, index - before))) if (!first.has(tpKey(offset))) first.set(tpKey(offset), offset);
      }
      before += part.count;
    }
    return [...first.values()];
  }

  toArray(): ConsumedRecord[] {
    return this.parts.flatMap((part) => part.toArray());
  }
}
