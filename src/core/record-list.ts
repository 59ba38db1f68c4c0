/** Records already held as objects, as PolledRecords: for record sources that are not fetched batches. */
import type { ConsumedRecord, JoinedRecords, PolledRecords, RecordText, RecordView, TopicPartitionOffset } from './model.js';
import { TextJoiner } from './record-text.js';

/** A view of one ConsumedRecord at a time (one object reused for the whole list). */
class ObjectView implements RecordView {
  private record!: ConsumedRecord;

  show(record: ConsumedRecord): this {
    this.record = record;
    return this;
  }
  get topic(): string {
    return this.record.topic;
  }
  get partition(): number {
    return this.record.partition;
  }
  get offset(): number {
    return Number(this.record.offset);
  }
  get timestampMs(): number {
    return this.record.timestampMs;
  }
  get keyBuffer(): Buffer | null {
    return this.record.key;
  }
  get keyStart(): number {
    return 0;
  }
  get keyEnd(): number {
    return this.record.key?.length ?? 0;
  }
  get valueBuffer(): Buffer | null {
    return this.record.value;
  }
  get valueStart(): number {
    return 0;
  }
  get valueEnd(): number {
    return this.record.value?.length ?? 0;
  }
  headers(): readonly { key: string; value: Buffer | null }[] {
    return this.record.headers;
  }
}

const tpKey = (r: { topic: string; partition: number }): string => `${r.partition}\u0000${r.topic}`;

export class RecordList implements PolledRecords {
  constructor(private readonly records: readonly ConsumedRecord[]) {}

  get count(): number {
    return this.records.length;
  }

  join(text: RecordText): JoinedRecords {
    const joiner = new TextJoiner(text);
    this.forEach((record) => joiner.add(record));
    return joiner.result();
  }

  forEach(visit: (record: RecordView) => boolean | void): void {
    const view = new ObjectView();
    for (const record of this.records) if (visit(view.show(record)) === false) return;
  }

  nextOffsets(): TopicPartitionOffset[] {
    const next = new Map<string, TopicPartitionOffset>();
    for (const r of this.records) next.set(tpKey(r), { topic: r.topic, partition: r.partition, offset: (BigInt(r.offset) + 1n).toString() });
    return [...next.values()];
  }

  offsetsFrom(index: number): TopicPartitionOffset[] {
    const first = new Map<string, TopicPartitionOffset>();
    for (const r of this.records.slice(index)) if (!first.has(tpKey(r))) first.set(tpKey(r), { topic: r.topic, partition: r.partition, offset: r.offset });
    return [...first.values()];
  }

  toArray(): ConsumedRecord[] {
    return [...this.records];
  }
}
