import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frame, readHeader, readMessageIndexes } from '../../src/core/schemas/wire-format.js';
import { DomainError } from '../../src/errors/domain-error.js';

describe('the Schema Registry wire format', () => {
  it('is magic byte 0, the schema id big-endian, then the payload', () => {
    expect(frame(258, Buffer.from('ab'))).toEqual(Buffer.from([0, 0, 0, 1, 2, 0x61, 0x62]));
    expect(readHeader(Buffer.from([0, 0, 0, 1, 2, 0x61]), 'value')).toEqual({ schemaId: 258, body: Buffer.from([0x61]) });
  });

  it('writes Protobuf message indexes as Confluent does: [0] as one 0 byte, else a zigzag count and zigzag indexes', () => {
    expect(frame(1, Buffer.alloc(0), [0]).subarray(5)).toEqual(Buffer.from([0]));
    // [0, 1]: count 2 → 4, 0 → 0, 1 → 2 (what confluent-kafka writes for a first nested message at index 1).
    expect(frame(1, Buffer.alloc(0), [0, 1]).subarray(5)).toEqual(Buffer.from([4, 0, 2]));
    expect(frame(1, Buffer.alloc(0), [1]).subarray(5)).toEqual(Buffer.from([2, 2]));
    expect(frame(1, Buffer.alloc(0), [70]).subarray(5)).toEqual(Buffer.from([2, 0x8c, 0x01]));
    expect(readMessageIndexes(Buffer.from([0, 9]), 'value')).toEqual({ indexes: [0], payload: Buffer.from([9]) });
    expect(readMessageIndexes(Buffer.from([4, 0, 2, 9]), 'value')).toEqual({ indexes: [0, 1], payload: Buffer.from([9]) });
  });

  it('reads back any indexes and payload it wrote', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 31 - 1 }), fc.array(fc.nat({ max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 6 }), fc.uint8Array({ maxLength: 20 }), (id, indexes, payload) => {
        const { schemaId, body } = readHeader(frame(id, payload, indexes), 'value');
        const read = readMessageIndexes(body, 'value');
        expect([schemaId, read.indexes, [...read.payload]]).toEqual([id, indexes, [...payload]]);
      }),
    );
  });

  it('refuses bytes that are not in the wire format with a 406 naming them', () => {
    for (const bytes of [Buffer.from('{"a":1}'), Buffer.from([0, 0, 1]), Buffer.alloc(0)]) {
      expect(() => readHeader(bytes, 'value of the record at t/0@3')).toThrow(
        expect.objectContaining({ kind: 'not_acceptable_format', message: expect.stringContaining('value of the record at t/0@3 is not in the Schema Registry wire format') }),
      );
    }
    expect(() => readMessageIndexes(Buffer.from([6, 0x80]), 'value')).toThrow(DomainError);
  });
});
