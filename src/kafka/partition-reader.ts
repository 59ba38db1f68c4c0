/**
 * Group-less reads: "give me partition P from offset O", with no consumer group, no join, no commit.
 *
 * KafkaJS's public API only fetches through a consumer group (by design), so this adapter talks to its internals.
 * kafkajs-internals.ts pins the version and gives each lane its own Cluster with the client's settings. What is used,
 * all under node_modules/kafkajs/src/:
 *  - cluster/index.js: connect, disconnect, findBroker; cluster/brokerPool.js: refreshMetadata and its `metadata`;
 *  - broker/index.js: `versions`, `listOffsets`, `disconnect`, and `connectionPool.send` (network/connectionPool.js
 *    sends Fetch on its own connection, so a long poll never blocks metadata or ListOffsets);
 *  - protocol/requests/fetch/index.js: the Fetch v11 request encoder (we decode the response ourselves);
 *  - protocol/message/compression/index.js: codecs, including those an application registers via CompressionCodecs;
 *  - protocol/error.js: createErrorFromCode, so broker error codes become the errors kafka-errors.ts understands.
 *
 * Why not `broker.fetch()`: its decoder folds headers into an object, which loses their order, merges repeated keys
 * into arrays, breaks keys such as `constructor`, and its parser throws the whole response away when one partition
 * has an error (we need per-partition errors, e.g. the log start offset case).
 *
 * Kafka handles one request at a time per connection, so concurrent long polls on one connection would queue behind
 * each other. Reads therefore run on a small pool of "lanes" (one Cluster each, connections kept open): a read holds
 * a lane for its duration, and at most `maxConcurrentReads` reads run at once; further reads wait for a lane.
 */
import type { Kafka } from 'kafkajs';
import { DomainError } from '../errors/domain-error.js';
import { toDomainError } from './kafka-errors.js';
import { createInternalCluster, kafkajsInternal } from './kafkajs-internals.js';
import type { InternalBroker, InternalCluster, ProtocolRequest, ProtocolResponse } from './kafkajs-internals.js';

export interface PartitionFetch {
  topic: string;
  partition: number;
  offset: bigint | number | string;
}

export interface FetchedRecord {
  topic: string;
  partition: number;
  /** Decimal string: Kafka offsets are int64. */
  offset: string;
  /** Epoch milliseconds (the log-append time when the topic uses LogAppendTime; -1 when the record has none). */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  /** In record order; repeated keys kept. */
  headers: { key: string; value: Buffer | null }[];
}

export interface PartitionReadOptions {
  /** How long to wait for a record when there is none at or after the offset yet. */
  timeoutMs: number;
  /** Default 1 MiB (the Java consumer's max.partition.fetch.bytes). A larger first batch is still returned whole. */
  maxBytesPerPartition?: number;
  maxRecordsPerPartition?: number;
}

export interface PartitionReaderOptions {
  /**
   * Default read_committed: aborted transactional records are never shown, and records of open transactions only
   * once they commit — what the kafkajs consumers the proxy runs elsewhere see too (they default to it).
   */
  isolationLevel?: 'read_committed' | 'read_uncommitted';
  /** Reads running at once (each on its own connections); default 8. */
  maxConcurrentReads?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// kafkajs 2.2.4 internals (see kafkajs-internals.ts): the shapes we use, nothing more.

const FETCH_API_KEY = 1;
const FETCH_VERSION = 11; // Kafka 2.3+; still served by Kafka 4.x (which dropped Fetch < 4).
/** Leader refreshes one read makes before answering 503: at once, then pauses of 0.1, 0.2, 0.4, 0.8, 1 s... */
const STALE_LEADER_RETRIES = 8;

type Cluster = InternalCluster;
type Broker = InternalBroker;

interface FetchRequestTopic {
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

interface CompressionCodec {
  decompress(buffer: Buffer): Promise<Buffer>;
}

function loadInternals(): {
  fetchProtocol: FetchProtocol;
  codecFor: (attributes: number) => CompressionCodec | null;
  protocolError: (code: number) => Error;
} {
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

// ---------------------------------------------------------------------------------------------------------------
// Wire decoding of Fetch v11 responses and record batches (magic 2). Records are decoded lazily, while they are
// taken: a fetch brings up to maxBytes of whole batches, often far more records than the caller asked for.

class ByteReader {
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
    let raw = 0;
    for (let scale = 1; ; scale *= 128) {
      const byte = this.buffer.readUInt8(this.advance(1));
      raw += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) break;
      if (scale > 2 ** 56) throw new RangeError('malformed varint in a record batch');
    }
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
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

interface WireRecord {
  offset: bigint;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: string; value: Buffer | null }[];
}

interface WireBatch {
  baseOffset: bigint;
  lastOffset: bigint;
  producerId: bigint;
  attributes: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  count: number;
  /** The records, compressed when the attributes say so. */
  body: Buffer;
}

interface WirePartition {
  partition: number;
  errorCode: number;
  abortedTransactions: { producerId: bigint; firstOffset: bigint }[];
  batches: WireBatch[];
}

interface WireFetchResponse {
  clientSideThrottleTime: number;
  errorCode: number;
  responses: { topic: string; partitions: WirePartition[] }[];
}

type CodecLookup = (attributes: number) => CompressionCodec | null;

const BATCH_PREFIX_BYTES = 12; // baseOffset, batchLength
const TIMESTAMP_TYPE_LOG_APPEND = 0x08;
const TRANSACTIONAL_FLAG = 0x10;
const CONTROL_FLAG = 0x20;
const CONTROL_TYPE_ABORT = 0;

const isControl = (batch: WireBatch): boolean => (batch.attributes & CONTROL_FLAG) !== 0;
const isTransactional = (batch: WireBatch): boolean => (batch.attributes & TRANSACTIONAL_FLAG) !== 0;

function decodeBatch(bytes: Buffer): WireBatch {
  const reader = new ByteReader(bytes);
  const baseOffset = reader.int64();
  reader.int32(); // batch length
  reader.int32(); // partition leader epoch
  const magic = reader.int8();
  if (magic !== 2) throw new Error(`record batch in message format v${magic} (only v2 is read)`);
  reader.int32(); // crc: the broker validated it on append
  const attributes = reader.int16();
  const lastOffsetDelta = reader.int32();
  const baseTimestamp = reader.int64();
  const maxTimestamp = reader.int64();
  const producerId = reader.int64();
  reader.int16(); // producer epoch
  reader.int32(); // base sequence
  const count = Math.max(reader.int32(), 0);
  const lastOffset = baseOffset + BigInt(lastOffsetDelta);
  const body = reader.bytes(reader.remaining());
  return { baseOffset, lastOffset, producerId, attributes, baseTimestamp, maxTimestamp, count, body };
}

/** Complete batches only: a fetch cut short by maxBytes ends with a partial batch, which is left for later. */
function completeBatches(recordSet: Buffer | null): WireBatch[] {
  if (recordSet === null) return [];
  const batches: WireBatch[] = [];
  for (let start = 0; recordSet.length - start >= BATCH_PREFIX_BYTES; ) {
    const end = start + BATCH_PREFIX_BYTES + recordSet.readInt32BE(start + 8);
    if (end > recordSet.length) break;
    batches.push(decodeBatch(recordSet.subarray(start, end)));
    start = end;
  }
  return batches;
}

function decodeRecordBody(reader: ByteReader, end: number): Pick<WireRecord, 'key' | 'value' | 'headers'> {
  const key = reader.varBytes();
  const value = reader.varBytes();
  const headers = Array.from({ length: Math.max(reader.varLong(), 0) }, () => ({
    key: reader.varBytes()?.toString('utf8') ?? '',
    value: reader.varBytes(),
  }));
  reader.seek(end);
  return { key, value, headers };
}

/** The batch's records from offset `from` on; the ones before it are skipped without being decoded. */
async function* batchRecords(batch: WireBatch, from: bigint, codecFor: CodecLookup): AsyncGenerator<WireRecord> {
  const codec = codecFor(batch.attributes);
  const reader = new ByteReader(codec ? await codec.decompress(batch.body) : batch.body);
  const firstDelta = from > batch.baseOffset ? Number(from - batch.baseOffset) : 0;
  const logAppendTime = batch.attributes & TIMESTAMP_TYPE_LOG_APPEND ? Number(batch.maxTimestamp) : null;
  for (let i = 0; i < batch.count; i += 1) {
    const length = reader.varLong();
    const end = reader.position + length;
    reader.int8(); // record attributes: unused by the protocol
    const timestampDelta = reader.varLong();
    const offsetDelta = reader.varLong();
    if (offsetDelta < firstDelta) {
      reader.seek(end);
      continue;
    }
    const timestamp = logAppendTime ?? Number(batch.baseTimestamp) + timestampDelta;
    yield { offset: batch.baseOffset + BigInt(offsetDelta), timestamp, ...decodeRecordBody(reader, end) };
  }
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

const fetchResponseDecoder: ProtocolResponse<WireFetchResponse> = {
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

// ---------------------------------------------------------------------------------------------------------------
// Visibility: control records, aborted transactions, offsets before the requested one, the record limit.

async function isAbortMarker(batch: WireBatch, codecFor: CodecLookup): Promise<boolean> {
  if (!isControl(batch)) return false;
  const { value: first } = await batchRecords(batch, batch.baseOffset, codecFor).next();
  const key = first?.key;
  return key !== undefined && key !== null && key.length >= 4 && key.readInt16BE(2) === CONTROL_TYPE_ABORT;
}

/** The Java consumer's algorithm: a transactional batch is aborted if its producer has an open aborted transaction. */
async function visibleBatches(partition: WirePartition, readCommitted: boolean, codecs: CodecLookup): Promise<WireBatch[]> {
  const pending = [...partition.abortedTransactions].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1));
  const abortedProducers = new Set<bigint>();
  const visible: WireBatch[] = [];
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

function toFetchedRecord(slot: Slot, record: WireRecord): FetchedRecord {
  return {
    topic: slot.topic,
    partition: slot.partition,
    offset: record.offset.toString(),
    timestamp: record.timestamp,
    key: record.key,
    value: record.value,
    headers: record.headers,
  };
}

/**
 * Takes the partition's records into the slot. True when the fetch moved past data that was all invisible (control
 * records, aborted transactions, offsets compacted away): the caller must fetch again from after it, or a client
 * that asks again from its last offset would get nothing forever.
 */
async function takeRecords(
  slot: Slot,
  partition: WirePartition,
  settings: ReadSettings,
  codecFor: CodecLookup,
): Promise<boolean> {
  const from = slot.next; // Kafka returns whole batches: the first one may start before it.
  for (const batch of await visibleBatches(partition, settings.readCommitted, codecFor)) {
    if (slot.records.length >= settings.maxRecords) break;
    for await (const record of batchRecords(batch, from, codecFor)) {
      slot.records.push(toFetchedRecord(slot, record));
      if (slot.records.length >= settings.maxRecords) break;
    }
  }
  const last = partition.batches.at(-1);
  if (last !== undefined && last.lastOffset >= from) slot.next = last.lastOffset + 1n;
  return slot.records.length === 0 && slot.next > from;
}

// ---------------------------------------------------------------------------------------------------------------
// Lanes: one kafkajs Cluster each, with the leaders it has learned.

interface Lane {
  cluster: Cluster;
  connected: boolean;
  /** topic → partition → leader node id */
  leaders: Map<string, Map<number, number>>;
}

class LanePool {
  private readonly idle: Lane[] = [];
  private readonly all: Lane[] = [];
  private readonly waiting: ((lane: Lane | undefined) => void)[] = [];
  private closed = false;

  constructor(
    private readonly newCluster: () => Cluster,
    private readonly max: number,
  ) {}

  async acquire(): Promise<Lane> {
    const lane = this.closed ? undefined : (this.idle.pop() ?? this.create() ?? (await this.waitForLane()));
    if (lane === undefined) throw new DomainError('kafka_unavailable', 'The partition reader is disconnected.');
    if (!lane.connected) await this.connect(lane);
    return lane;
  }

  release(lane: Lane): void {
    // A read that was running during close() may have reconnected its lane.
    if (this.closed) {
      void lane.cluster.disconnect().catch(() => undefined);
      return;
    }
    const next = this.waiting.shift();
    if (next) next(lane);
    else this.idle.push(lane);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter(undefined);
    await Promise.allSettled(this.all.map((lane) => lane.cluster.disconnect()));
  }

  private create(): Lane | undefined {
    if (this.all.length >= this.max) return undefined;
    const lane: Lane = { cluster: this.newCluster(), connected: false, leaders: new Map() };
    this.all.push(lane);
    return lane;
  }

  private waitForLane(): Promise<Lane | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private async connect(lane: Lane): Promise<void> {
    try {
      await lane.cluster.connect();
      lane.connected = true;
    } catch (error) {
      this.release(lane);
      throw toDomainError(error, 'connect to Kafka');
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// One read() call.

interface Slot {
  readonly topic: string;
  readonly partition: number;
  readonly requested: bigint;
  /** Where the next fetch for this partition starts. */
  next: bigint;
  records: FetchedRecord[];
  done: boolean;
}

interface ReadSettings {
  readCommitted: boolean;
  isolationLevel: number;
  maxWaitDeadline: number;
  maxBytes: number;
  maxRecords: number;
}

const ISOLATION_READ_UNCOMMITTED = 0;
const ISOLATION_READ_COMMITTED = 1;
const INT32_MAX = 2 ** 31 - 1;
const INT64_MAX = 2n ** 63n - 1n;
const DEFAULT_MAX_BYTES = 1024 * 1024; // per partition
const DEFAULT_MAX_CONCURRENT_READS = 8;
const MAX_ROUNDS = 50;
const EARLIEST = '-2';
const LATEST = '-1';
const ERROR_NONE = 0;
const OFFSET_OUT_OF_RANGE = 1;
/** UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE, NOT_LEADER_OR_FOLLOWER, REPLICA_NOT_AVAILABLE, KAFKA_STORAGE_ERROR,
 * FENCED/UNKNOWN_LEADER_EPOCH, OFFSET_NOT_AVAILABLE: our metadata is stale or the leader is moving. */
const STALE_METADATA_CODES = new Set([3, 5, 6, 9, 56, 74, 75, 78]);
const CONNECTION_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
]);
const MISSING_TOPIC_TYPES = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'INVALID_TOPIC_EXCEPTION']);

/** A partition without a leader (election in progress, replicas offline) is unavailability, not a Kafka error. */
function metadataError(error: unknown): DomainError {
  const domain = toDomainError(error, 'fetch metadata');
  const retriable = (e: unknown): boolean => typeof e === 'object' && e !== null && Reflect.get(e, 'retriable') === true;
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  if (domain.kind !== 'kafka_error' || !(retriable(error) || retriable(cause))) return domain;
  return new DomainError('kafka_unavailable', domain.message, { cause: error });
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function errorType(error: unknown): string | undefined {
  const type: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'type') : undefined;
  return typeof type === 'string' ? type : undefined;
}

class ReadOperation {
  private staleRetries = 0;
  private lastConnectionError: unknown;

  constructor(
    private readonly lane: Lane,
    private readonly slots: Slot[],
    private readonly settings: ReadSettings,
    private readonly internals: ReturnType<typeof loadInternals>,
  ) {}

  /**
   * A slot stays pending only when it must be fetched again (stale leader, offset below the log start, invisible
   * records skipped); rounds after the deadline wait 0 ms, so they cost a round trip, not the timeout again.
   */
  async run(): Promise<FetchedRecord[][]> {
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const pending = this.slots.filter((s) => !s.done);
      if (pending.length === 0) break;
      await this.ensureLeaders(pending);
      await this.fetchRound(pending, Math.max(0, this.settings.maxWaitDeadline - Date.now()));
    }
    return this.slots.map((s) => s.records);
  }

  private async fetchRound(pending: Slot[], maxWaitMs: number): Promise<void> {
    const stale: Slot[] = [];
    const outOfRange: Slot[] = [];
    // allSettled: never leave a request in flight on the lane's connections when one leader fails.
    const outcomes = await Promise.allSettled(
      [...this.groupByLeader(pending)].map(async ([leader, slots]) => {
        const response = await this.fetchFromLeader(leader, slots, maxWaitMs);
        if (response === undefined) stale.push(...slots);
        else await this.apply(slots, response, stale, outOfRange);
      }),
    );
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
    for (const slot of outOfRange) await this.resolveOutOfRange(slot);
    if (stale.length > 0) await this.forgetLeaders(stale);
  }

  private async apply(slots: Slot[], response: WireFetchResponse, stale: Slot[], outOfRange: Slot[]): Promise<void> {
    if (response.errorCode !== ERROR_NONE) throw toDomainError(this.internals.protocolError(response.errorCode), 'fetch');
    for (const slot of slots) {
      const partition = response.responses
        .find((t) => t.topic === slot.topic)
        ?.partitions.find((p) => p.partition === slot.partition);
      if (partition === undefined || STALE_METADATA_CODES.has(partition.errorCode)) stale.push(slot);
      else if (partition.errorCode === OFFSET_OUT_OF_RANGE) outOfRange.push(slot);
      else if (partition.errorCode !== ERROR_NONE) {
        throw toDomainError(this.internals.protocolError(partition.errorCode), `fetch ${slot.topic}/${slot.partition}`);
      } else {
        slot.done = !(await takeRecords(slot, partition, this.settings, this.internals.codecFor));
      }
    }
  }

  /** The leader's answer, or undefined when it could not be reached (then treated like a stale leader). */
  private async fetchFromLeader(leader: number, slots: Slot[], maxWait: number): Promise<WireFetchResponse | undefined> {
    let broker: Broker | undefined;
    try {
      broker = await this.lane.cluster.findBroker({ nodeId: String(leader) });
      this.assertFetchVersion(broker);
      const { request, requestTimeout } = this.internals.fetchProtocol({
        replicaId: -1,
        isolationLevel: this.settings.isolationLevel,
        maxWaitTime: Math.min(maxWait, INT32_MAX),
        minBytes: 1,
        maxBytes: Math.min(this.settings.maxBytes * slots.length, INT32_MAX),
        topics: fetchTopics(slots, this.settings.maxBytes),
      });
      return await broker.connectionPool.send({ request, response: fetchResponseDecoder, requestTimeout });
    } catch (error) {
      if (error instanceof DomainError) throw error;
      if (!CONNECTION_ERRORS.has(errorName(error) ?? '')) throw toDomainError(error, 'fetch');
      // kafkajs's Broker does this for its own requests: a closed connection is rebuilt on next use.
      if (errorName(error) === 'KafkaJSConnectionClosedError') await broker?.disconnect().catch(() => undefined);
      this.lastConnectionError = error;
      return undefined;
    }
  }

  private assertFetchVersion(broker: Broker): void {
    const max = broker.versions?.[FETCH_API_KEY]?.maxVersion ?? -1;
    if (max < FETCH_VERSION) {
      const needed = `Fetch v${FETCH_VERSION}, Kafka 2.3+`;
      throw new DomainError('kafka_error', `The Kafka broker is too old for reads without a consumer group (${needed}).`);
    }
  }

  private groupByLeader(slots: Slot[]): Map<number, Slot[]> {
    const groups = new Map<number, Slot[]>();
    for (const slot of slots) {
      const leader = this.lane.leaders.get(slot.topic)?.get(slot.partition) ?? -1;
      groups.set(leader, [...(groups.get(leader) ?? []), slot]);
    }
    return groups;
  }

  /**
   * Stale leaders: refresh and retry — at once, then with a growing pause, since a partition just created or added
   * gets its leader a moment later; after STALE_LEADER_RETRIES the cluster is not serving the partition.
   */
  private async forgetLeaders(stale: Slot[]): Promise<void> {
    if (this.staleRetries >= STALE_LEADER_RETRIES) {
      const { topic, partition } = stale[0] as Slot;
      const message = `No leader is serving partition ${partition} of topic '${topic}' right now.`;
      throw new DomainError('kafka_unavailable', message, { cause: this.lastConnectionError });
    }
    if (this.staleRetries > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** (this.staleRetries - 1), 1000)));
    this.staleRetries++;
    for (const slot of stale) this.lane.leaders.delete(slot.topic);
  }

  private async resolveOutOfRange(slot: Slot): Promise<void> {
    const [earliest, latest] = await this.offsetRange(slot);
    if (slot.next < earliest) {
      slot.next = earliest; // deleted by retention or DeleteRecords: the first existing offset after it
    } else if (slot.next > latest) {
      const where = `partition ${slot.partition} of topic '${slot.topic}'`;
      const message = `Offset ${slot.requested} is out of range for ${where} (valid offsets: ${earliest} to ${latest}).`;
      throw new DomainError('bad_request', message);
    }
  }

  private async offsetRange(slot: Slot): Promise<[bigint, bigint]> {
    const leader = this.lane.leaders.get(slot.topic)?.get(slot.partition) ?? -1;
    try {
      const broker = await this.lane.cluster.findBroker({ nodeId: String(leader) });
      const listOffset = async (timestamp: string): Promise<bigint> => {
        const { responses } = await broker.listOffsets({
          isolationLevel: this.settings.isolationLevel,
          topics: [{ topic: slot.topic, partitions: [{ partition: slot.partition, timestamp }] }],
        });
        return BigInt(responses[0]?.partitions[0]?.offset ?? '-1');
      };
      return [await listOffset(EARLIEST), await listOffset(LATEST)];
    } catch (error) {
      throw toDomainError(error, `list offsets of ${slot.topic}/${slot.partition}`);
    }
  }

  /** Makes sure every slot's leader is known, asking for metadata once for all topics that need it. */
  private async ensureLeaders(slots: Slot[]): Promise<void> {
    const unknown = (slot: Slot): boolean => (this.lane.leaders.get(slot.topic)?.get(slot.partition) ?? -1) < 0;
    const topics = [...new Set(slots.filter(unknown).map((s) => s.topic))];
    if (topics.length === 0) return;
    await this.refreshTopics(topics);
    const missing = slots.find(unknown);
    if (missing === undefined) return;
    const what = `Partition ${missing.partition} of topic '${missing.topic}'`;
    if (this.lane.leaders.get(missing.topic)?.has(missing.partition)) {
      throw new DomainError('kafka_unavailable', `${what} has no leader right now.`);
    }
    throw new DomainError('partition_not_found', `${what} not found.`);
  }

  private async refreshTopics(topics: string[]): Promise<void> {
    const { brokerPool } = this.lane.cluster;
    try {
      await brokerPool.refreshMetadata(topics);
    } catch (error) {
      if (!MISSING_TOPIC_TYPES.has(errorType(error) ?? '')) throw metadataError(error);
      // kafkajs reports the first failing topic without its name: ask one by one to name it.
      if (topics.length === 1) {
        throw new DomainError('topic_not_found', `Topic '${topics[0] ?? ''}' not found.`, { cause: error });
      }
      for (const topic of topics) await this.refreshTopics([topic]);
      return;
    }
    for (const { topic, partitionMetadata } of brokerPool.metadata?.topicMetadata ?? []) {
      this.lane.leaders.set(topic, new Map(partitionMetadata.map((p) => [p.partitionId, p.leader])));
    }
  }
}

function fetchTopics(slots: Slot[], maxBytes: number): FetchRequestTopic[] {
  const topics = new Map<string, FetchRequestTopic>();
  for (const slot of slots) {
    const entry = topics.get(slot.topic) ?? { topic: slot.topic, partitions: [] };
    entry.partitions.push({ partition: slot.partition, fetchOffset: slot.next.toString(), maxBytes });
    topics.set(slot.topic, entry);
  }
  return [...topics.values()];
}

// ---------------------------------------------------------------------------------------------------------------
// Argument checks.

function parseOffset(offset: bigint | number | string): bigint {
  let value: bigint | undefined;
  if (typeof offset === 'bigint') value = offset;
  else if (typeof offset === 'number' && Number.isSafeInteger(offset)) value = BigInt(offset);
  else if (typeof offset === 'string' && /^\d{1,19}$/.test(offset)) value = BigInt(offset);
  if (value === undefined || value < 0n || value > INT64_MAX) {
    throw new DomainError('bad_request', `Offset ${String(offset)} is not a valid Kafka offset.`);
  }
  return value;
}

function toSlots(requests: readonly PartitionFetch[]): Slot[] {
  const seen = new Set<string>();
  return requests.map(({ topic, partition, offset }) => {
    if (!Number.isInteger(partition) || partition < 0 || partition > INT32_MAX) {
      throw new DomainError('bad_request', `Partition ${partition} is not a valid partition number.`);
    }
    const id = `${partition}\u0000${topic}`;
    if (seen.has(id)) throw new DomainError('bad_request', `Partition ${partition} of topic '${topic}' is requested twice.`);
    seen.add(id);
    const requested = parseOffset(offset);
    return { topic, partition, requested, next: requested, records: [], done: false };
  });
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new DomainError('bad_request', `${name} must be a positive integer.`);
  return value;
}

function readSettings(options: PartitionReadOptions, isolationLevel: number, startedAt: number): ReadSettings {
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs < 0) {
    throw new DomainError('bad_request', 'The timeout must be a non-negative number of milliseconds.');
  }
  return {
    readCommitted: isolationLevel === ISOLATION_READ_COMMITTED,
    isolationLevel,
    maxWaitDeadline: startedAt + Math.min(options.timeoutMs, INT32_MAX),
    maxBytes: Math.min(positiveInteger('maxBytesPerPartition', options.maxBytesPerPartition, DEFAULT_MAX_BYTES), INT32_MAX),
    maxRecords: positiveInteger('maxRecordsPerPartition', options.maxRecordsPerPartition, Number.MAX_SAFE_INTEGER),
  };
}

// ---------------------------------------------------------------------------------------------------------------

export class PartitionReader {
  private readonly internals = loadInternals();
  private readonly isolationLevel: number;
  private readonly lanes: LanePool;

  constructor(kafka: Kafka, options: PartitionReaderOptions = {}) {
    const readUncommitted = options.isolationLevel === 'read_uncommitted';
    this.isolationLevel = readUncommitted ? ISOLATION_READ_UNCOMMITTED : ISOLATION_READ_COMMITTED;
    const maxLanes = positiveInteger('maxConcurrentReads', options.maxConcurrentReads, DEFAULT_MAX_CONCURRENT_READS);
    this.lanes = new LanePool(() => createInternalCluster(kafka, this.isolationLevel), maxLanes);
  }

  /** Opens the first lane (others open on demand), so an unreachable cluster shows up here. */
  async connect(): Promise<void> {
    this.lanes.release(await this.lanes.acquire());
  }

  async disconnect(): Promise<void> {
    await this.lanes.close();
  }

  /**
   * Results in the order of `requests`; each request's records start at its offset (or the first existing offset
   * after it). Waits up to `timeoutMs` when no partition has a record yet, and answers [] for those that get none.
   */
  async read(requests: readonly PartitionFetch[], options: PartitionReadOptions): Promise<FetchedRecord[][]> {
    const settings = readSettings(options, this.isolationLevel, Date.now());
    const slots = toSlots(requests);
    if (slots.length === 0) return [];
    const lane = await this.lanes.acquire();
    try {
      return await new ReadOperation(lane, slots, settings, this.internals).run();
    } finally {
      this.lanes.release(lane);
    }
  }
}
