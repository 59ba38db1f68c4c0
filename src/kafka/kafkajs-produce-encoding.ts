/**
 * kafkajs 2.2.4 encodes a Produce request through its general-purpose Encoder: for every record a spread copy of
 * the message, two Encoders, an array and a Buffer per varint, 64-bit arithmetic on Long objects for the timestamp
 * delta, then copies of each part into the next. That was 30–40% of the proxy's CPU in batch and streaming produce.
 * Importing this module wraps kafkajs's Produce request (v3, which v4–v7 reuse) so that its payload is written by
 * produce-request-encoder.ts in one pass into one buffer; requests with compression, or messages the lean encoder
 * does not take, are encoded by kafkajs as before. It must be imported before kafkajs sends its first produce
 * request (kafkajs loads the request versions lazily; kafka-client.ts imports this), else nothing changes but the
 * speed.
 */
import { createRequire } from 'node:module';
import { assertPinnedVersion, kafkajsInternal } from './kafkajs-internals.js';
import { encodeProducePayload } from './produce-request-encoder.js';
import type { EncodablePartition } from './produce-request-encoder.js';

interface KafkajsLong {
  toString(): string;
}

export interface KafkajsProduceArgs {
  readonly acks: number;
  readonly timeout: number;
  readonly transactionalId?: string | null;
  readonly producerId?: KafkajsLong;
  readonly producerEpoch?: number;
  readonly compression?: number;
  readonly topicData: readonly { readonly topic: string; readonly partitions: readonly EncodablePartition[] }[];
}

interface EncoderLike {
  buf: Buffer;
  offset: number;
}

export interface KafkajsProduceRequest {
  readonly apiVersion: number;
  encode(): Promise<EncoderLike>;
}

/** `kafkajs`: on the lean version, the factory it wraps. */
type RequestFactory = ((args: KafkajsProduceArgs) => KafkajsProduceRequest) & { kafkajs?: RequestFactory };

const REQUEST_MODULE = 'src/protocol/requests/produce/v3/request.js';
const NO_COMPRESSION = 0;

let encoderPrototype: object | undefined;

/** A kafkajs Encoder holding `bytes` (it is read through `buf`, `offset` and its prototype's getters). */
function asEncoder(bytes: Buffer): EncoderLike {
  encoderPrototype ??= kafkajsInternal<{ prototype: object }>('src/protocol/encoder.js').prototype;
  const encoder = Object.create(encoderPrototype) as EncoderLike;
  encoder.buf = bytes;
  encoder.offset = bytes.length;
  return encoder;
}

/** kafkajs's Produce request v3 with the lean payload encoding. */
export function leanProduceRequest(original: RequestFactory): RequestFactory {
  const lean: RequestFactory = (args) => {
    const request = original(args);
    if ((args.compression ?? NO_COMPRESSION) !== NO_COMPRESSION) return request;
    const encode = async (): Promise<EncoderLike> => {
      const payload = encodeProducePayload({
        acks: args.acks,
        timeout: args.timeout,
        transactionalId: args.transactionalId ?? null,
        producerId: BigInt.asIntN(64, BigInt(args.producerId?.toString() ?? '-1')),
        producerEpoch: args.producerEpoch ?? 0,
        topicData: args.topicData,
      });
      return payload === undefined ? request.encode() : asEncoder(payload);
    };
    return { ...request, encode };
  };
  lean.kafkajs = original;
  return lean;
}

/** Replaces the exports of kafkajs's Produce request v3 module by the lean version of them (once). */
function install(): void {
  assertPinnedVersion();
  const require = createRequire(import.meta.url);
  const filename = require.resolve(`kafkajs/${REQUEST_MODULE}`);
  const original = require(filename) as RequestFactory;
  const module = require.cache[filename];
  if (original.kafkajs !== undefined || module === undefined) return;
  module.exports = leanProduceRequest(original);
}

install();
