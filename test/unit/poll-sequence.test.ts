import { describe, expect, it } from 'vitest';
import type { ConsumedRecord, RecordView } from '../../src/core/model.js';
import { PollSequence } from '../../src/core/poll-sequence.js';
import { RecordList } from '../../src/core/record-list.js';

const record = (partition: number, offset: number, value: string): ConsumedRecord => ({
  topic: 't', partition, offset: String(offset), timestampMs: 0, key: null, value: Buffer.from(value), headers: [],
});

const valueText = (r: RecordView): string => {
  const text = r.valueBuffer!.toString('utf8', r.valueStart, r.valueEnd);
  if (text === 'bad') throw new Error(`cannot write ${r.offset}`);
  return JSON.stringify(text);
};

/** What fetch.min.bytes gathering answers: several polls as one list of records. */
describe('the records of several polls as one', () => {
  const gathered = (): PollSequence => {
    const sequence = new PollSequence();
    sequence.add(new RecordList([record(0, 4, 'a'), record(1, 9, 'b')]));
    sequence.add(new RecordList([]));
    sequence.add(new RecordList([record(0, 5, 'c'), record(1, 10, 'bad'), record(1, 11, 'd')]));
    return sequence;
  };

  it('counts, visits and lists the records in poll order', () => {
    const sequence = gathered();
    expect(sequence.count).toBe(5);
    const seen: number[] = [];
    sequence.forEach((r) => (seen.push(r.offset), seen.length < 4));
    expect(seen).toEqual([4, 9, 5, 10]);
    expect(sequence.toArray().map((r) => r.offset)).toEqual(['4', '9', '5', '10', '11']);
  });

  it('joins every poll’s texts with commas and stops at the first record that cannot be written', () => {
    const joined = gathered().join(valueText);
    expect(joined.bytes.toString()).toBe('"a","b","c"');
    expect(joined.written).toBe(3);
    expect(String(joined.failure)).toContain('cannot write 10');
  });

  it('says where each partition resumes from a position on, and what to commit after all of them', () => {
    const sequence = gathered();
    expect(sequence.offsetsFrom(3)).toEqual([{ topic: 't', partition: 1, offset: '10' }]);
    expect(sequence.offsetsFrom(1)).toEqual([
      { topic: 't', partition: 1, offset: '9' },
      { topic: 't', partition: 0, offset: '5' },
    ]);
    expect(sequence.nextOffsets()).toEqual([
      { topic: 't', partition: 0, offset: '6' },
      { topic: 't', partition: 1, offset: '12' },
    ]);
  });
});
