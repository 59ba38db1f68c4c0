import { createRequire } from 'node:module';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { leanProduceRequest } from '../../src/kafka/kafkajs-produce-encoding.js';
import type { KafkajsProduceArgs, KafkajsProduceRequest } from '../../src/kafka/kafkajs-produce-encoding.js';
import { crc32c } from '../../src/kafka/crc32c.js';

const require = createRequire(import.meta.url);
type Factory = ((args: KafkajsProduceArgs) => KafkajsProduceRequest) & { kafkajs?: Factory };
const loaded = require('kafkajs/src/protocol/requests/produce/v3/request.js') as Factory;
/** kafkajs's own encoder, whether or not the proxy's module already wrapped it in this process. */
const kafkajs: Factory = loaded.kafkajs ?? loaded;
const lean = leanProduceRequest(kafkajs);
const Long = require('kafkajs/src/utils/long.js') as { fromValue(v: string | number): KafkajsProduceArgs['producerId'] };

async function bytes(factory: Factory, args: KafkajsProduceArgs): Promise<Buffer> {
  const encoder = (await factory(args).encode()) as unknown as { buffer: Buffer };
  return encoder.buffer;
}

const NOW = 1_796_190_000_000;
const text = fc.string({ unit: 'grapheme', maxLength: 40 });
const bytesOf = fc.oneof(
  text,
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  fc.constant(Buffer.alloc(20_000, 7)), // a three-byte varint length
);
const headerValue = fc.oneof(text, fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a)));
const message = fc.record(
  {
    key: fc.oneof(fc.constant(null), bytesOf),
    value: fc.oneof(fc.constant(null), bytesOf),
    headers: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(headerValue, fc.array(headerValue, { maxLength: 3 })), { maxKeys: 4 }),
    // Same digit count as every real timestamp: there kafkajs's string sort and the numeric order agree.
    timestamp: fc.oneof(fc.integer({ min: NOW - 10_000_000, max: NOW + 10_000_000 }), fc.integer({ min: NOW - 1000, max: NOW }).map(String)),
  },
  { requiredKeys: ['value'] },
);
const partition = fc.record({ partition: fc.nat({ max: 50 }), firstSequence: fc.option(fc.nat(), { nil: undefined }), messages: fc.array(message, { maxLength: 25 }) }, { requiredKeys: ['partition', 'messages'] });
const args = fc.record({
  acks: fc.constantFrom(-1, 0, 1),
  timeout: fc.nat(),
  transactionalId: fc.option(fc.string({ maxLength: 12 }), { nil: null }),
  producerId: fc.oneof(fc.constant(-1), fc.nat()).map((n) => Long.fromValue(n)),
  producerEpoch: fc.nat({ max: 32767 }),
  topicData: fc.array(fc.record({ topic: fc.string({ minLength: 1, maxLength: 20 }), partitions: fc.array(partition, { maxLength: 3 }) }), { maxLength: 3 }),
}) as fc.Arbitrary<KafkajsProduceArgs>;

describe('the Produce request payload the proxy writes for kafkajs', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is byte for byte what kafkajs writes, for any uncompressed records, headers and batches', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(NOW);
    await fc.assert(
      fc.asyncProperty(args, async (input) => {
        const [ours, theirs] = [await bytes(lean, input), await bytes(kafkajs, input)];
        // The first differing byte, not a diff of two long buffers.
        const at = ours.findIndex((b, i) => b !== theirs[i]);
        expect({ length: ours.length, firstDifference: at }).toEqual({ length: theirs.length, firstDifference: -1 });
      }),
      { numRuns: 400 },
    );
  });

  it('leaves compressed requests and values it does not take to kafkajs', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(NOW);
    const messages = [{ key: 'k', value: 'v'.repeat(500), timestamp: String(NOW) }];
    const gzip: KafkajsProduceArgs = { acks: -1, timeout: 30_000, compression: 1, topicData: [{ topic: 't', partitions: [{ partition: 0, messages }] }] };
    const gzipped = await bytes(lean, gzip);
    expect(gzipped).toEqual(await bytes(kafkajs, gzip));
    const plain = await bytes(lean, { ...gzip, compression: 0 });
    expect(gzipped.length).toBeLessThan(plain.length);
    // A fractional timestamp: kafkajs's own handling (it refuses it) stays.
    const odd: KafkajsProduceArgs = { acks: 1, timeout: 1, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ value: 'x', timestamp: NOW + 0.5 }] }] }] };
    await expect(bytes(kafkajs, odd)).rejects.toThrow(RangeError);
    await expect(bytes(lean, odd)).rejects.toThrow(RangeError);
  });

  it('checksums with CRC-32C', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    const crcOfKafkajs = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (b: Buffer) => number;
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (a) => crc32c(a) === crcOfKafkajs(Buffer.from(a))));
  });
});
