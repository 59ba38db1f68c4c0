/**
 * The Fetch request (v11, Kafka 2.3+; still served by Kafka 4.x, which dropped Fetch < 4) on the wire: kafkajs's
 * request encoder and codecs (kafkajs-internals.ts pins the version), our own response decoder, and which batches a
 * reader may see (control records, aborted transactions).
 *
 * kafkajs internals used, all under node_modules/kafkajs/src/:
 *  - protocol/requests/fetch/index.js: the Fetch v11 request encoder (we decode the response ourselves);
 *  - protocol/message/compression/index.js: codecs, including those an application registers via CompressionCodecs;
 *  - protocol/error.js: createErrorFromCode, so broker error codes become the errors kafka-errors.ts understands.
 *
 * Why not kafkajs's decoder (`broker.fetch()`): it builds an object per record and folds headers into an object,
 * which loses their order, merges repeated keys into arrays and breaks keys such as `constructor`; and its parser
 * throws the whole response away when one partition has an error (we need per-partition errors, e.g. the log start
 * offset case).
 */
import { ByteReader } from './byte-reader.js';
import { kafkajsInternal } from './kafkajs-internals.js';
import type { ProtocolRequest, ProtocolResponse } from './kafkajs-internals.js';
import { BatchCursor, completeBatches, decodeRecords, isControl, isTransactional } from './record-batch.js';
import type { CodecLookup, CompressionCodec, RecordBatch } from './record-batch.js';

export const FETCH_API_KEY = 1;
export const FETCH_VERSION = 11;

export interface FetchRequestTopic {
  topic: string;
  partitions: { partition: number; fetchOffset: string; maxBytes: number }[];
}

type FetchProtocol = (request: {
  replicaId: number;
  isolationLevel: number;
  maxWaitTime: number;
  minBytes: number;
  maxBytes: number;
  topics: FetchRequestTopic[];
}) => { request: ProtocolRequest; requestTimeout: number };

export interface FetchInternals {
  readonly fetchProtocol: FetchProtocol;
  readonly codecFor: CodecLookup;
  readonly protocolError: (code: number) => Error;
}

let loaded: FetchInternals | undefined;

/** The internals, loaded once for every reader and member. */
export function loadFetchInternals(): FetchInternals {
  loaded ??= load();
  return loaded;
}

function load(): FetchInternals {
  const fetch = kafkajsInternal<{ protocol(q: { version: number }): FetchProtocol }>('src/protocol/requests/fetch/index.js');
  const compression = kafkajsInternal<{ lookupCodecByAttributes(a: number): CompressionCodec | null }>(
    'src/protocol/message/compression/index.js',
  );
  const errors = kafkajsInternal<{ createErrorFromCode(code: number): Error }>('src/protocol/error.js');
  return {
    fetchProtocol: fetch.protocol({ version: FETCH_VERSION }),
    codecFor: (attributes) => compression.lookupCodecByAttributes(attributes),
    protocolError: (code) => errors.createErrorFromCode(code),
  };
}

export interface WirePartition {
  partition: number;
  errorCode: number;
  abortedTransactions: { producerId: bigint; firstOffset: bigint }[];
  batches: RecordBatch[];
}

export interface WireFetchResponse {
  clientSideThrottleTime: number;
  errorCode: number;
  responses: { topic: string; partitions: WirePartition[] }[];
}

function decodePartition(reader: ByteReader): WirePartition {
  const partition = reader.int32();
  const errorCode = reader.int16();
  reader.int64(); // high watermark
  reader.int64(); // last stable offset
  reader.int64(); // log start offset (-1 on errors, so OFFSET_OUT_OF_RANGE needs ListOffsets anyway)
  const abortedTransactions = reader.array((r) => ({ producerId: r.int64(), firstOffset: r.int64() }));
  reader.int32(); // preferred read replica
  return { partition, errorCode, abortedTransactions, batches: completeBatches(reader.nullableBytes()) };
}

export const fetchResponseDecoder: ProtocolResponse<WireFetchResponse> = {
  decode(raw) {
    const reader = new ByteReader(raw);
    const clientSideThrottleTime = reader.int32();
    const errorCode = reader.int16();
    reader.int32(); // session id: we never open fetch sessions
    const responses = reader.array((r) => ({ topic: r.string(), partitions: r.array(decodePartition) }));
    return Promise.resolve({ clientSideThrottleTime, errorCode, responses });
  },
  // Errors are per partition and handled by the reader; kafkajs's parser would throw on the first one.
  parse: (decoded) => Promise.resolve(decoded),
};

const CONTROL_TYPE_ABORT = 0;

async function isAbortMarker(batch: RecordBatch, codecFor: CodecLookup): Promise<boolean> {
  if (!isControl(batch)) return false;
  const cursor = new BatchCursor(await decodeRecords('', 0, batch, codecFor));
  const key = cursor.next() ? cursor.key() : null;
  return key !== null && key.length >= 4 && key.readInt16BE(2) === CONTROL_TYPE_ABORT;
}

/** The Java consumer's algorithm: a transactional batch is aborted if its producer has an open aborted transaction. */
export async function visibleBatches(partition: WirePartition, readCommitted: boolean, codecs: CodecLookup): Promise<RecordBatch[]> {
  const pending = [...partition.abortedTransactions].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1));
  const abortedProducers = new Set<bigint>();
  const visible: RecordBatch[] = [];
  for (const batch of partition.batches) {
    if (readCommitted && batch.producerId >= 0n) {
      while (pending[0] !== undefined && pending[0].firstOffset <= batch.lastOffset) {
        abortedProducers.add(pending[0].producerId);
        pending.shift();
      }
      if (await isAbortMarker(batch, codecs)) abortedProducers.delete(batch.producerId);
      if (isTransactional(batch) && !isControl(batch) && abortedProducers.has(batch.producerId)) continue;
    }
    if (!isControl(batch)) visible.push(batch);
  }
  return visible;
}
