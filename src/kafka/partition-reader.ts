/**
 * Group-less reads: "give me partition P from offset O", with no consumer group, no join, no commit — and the same
 * fetch for a group member over its own connections (MemberFetcher).
 *
 * KafkaJS's public API only fetches through a consumer group (by design), so this adapter talks to its internals:
 * kafkajs-internals.ts pins the version and gives each lane its own Cluster with the client's settings; it uses
 * cluster/index.js (connect, disconnect, findBroker), cluster/brokerPool.js (refreshMetadata and its `metadata`),
 * broker/index.js (`versions`, `listOffsets`, `disconnect`, and `connectionPool.send`: network/connectionPool.js
 * sends Fetch on its own connection, so a long poll never blocks metadata or ListOffsets); fetch-protocol.ts names
 * the protocol internals. The pieces: fetch-protocol.ts (the wire), record-batch.ts (records), lane-pool.ts (the
 * connections reads share), read-operation.ts (one read), record-queue.ts (handing records out).
 */
import type { Kafka } from 'kafkajs';
import type { PolledRecords } from '../core/model.js';
import { DomainError } from '../errors/domain-error.js';
import { loadFetchInternals } from './fetch-protocol.js';
import type { FetchInternals } from './fetch-protocol.js';
import { createInternalCluster } from './kafkajs-internals.js';
import type { InternalCluster } from './kafkajs-internals.js';
import { LanePool } from './lane-pool.js';
import type { Lane } from './lane-pool.js';
import { INT32_MAX, ISOLATION_READ_COMMITTED, ISOLATION_READ_UNCOMMITTED, ReadOperation } from './read-operation.js';
import type { BeyondEnd, ReadSettings, Slot } from './read-operation.js';
import { BatchCursor } from './record-batch.js';
import { RecordQueue } from './record-queue.js';

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

const INT64_MAX = 2n ** 63n - 1n;
const DEFAULT_MAX_BYTES = 1024 * 1024; // per partition
const DEFAULT_MAX_CONCURRENT_READS = 8;

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
    return { topic, partition, requested, next: requested, batches: [], done: false };
  });
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new DomainError('bad_request', `${name} must be a positive integer.`);
  return value;
}

interface FetchLimits {
  readonly timeoutMs: number;
  readonly maxBytesPerPartition?: number;
  readonly minBytes?: number;
  readonly beyondEnd?: BeyondEnd;
}

function readSettings(options: FetchLimits, isolationLevel: number, startedAt: number): ReadSettings {
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs < 0) {
    throw new DomainError('bad_request', 'The timeout must be a non-negative number of milliseconds.');
  }
  return {
    readCommitted: isolationLevel === ISOLATION_READ_COMMITTED,
    isolationLevel,
    maxWaitDeadline: startedAt + Math.min(options.timeoutMs, INT32_MAX),
    maxBytes: Math.min(positiveInteger('maxBytesPerPartition', options.maxBytesPerPartition, DEFAULT_MAX_BYTES), INT32_MAX),
    minBytes: Math.min(Math.max(1, options.minBytes ?? 1), INT32_MAX),
    beyondEnd: options.beyondEnd ?? 'fail',
  };
}

/** The slot's records as objects, at most `max`. */
function recordsOf(slot: Slot, max: number): FetchedRecord[] {
  const records: FetchedRecord[] = [];
  for (const start of slot.batches) {
    const cursor = new BatchCursor(start.batch, start);
    while (records.length < max && cursor.next()) {
      const { topic, partition } = slot;
      records.push({ topic, partition, offset: cursor.exactOffset.toString(), timestamp: cursor.timestampMs, key: cursor.key(), value: cursor.value(), headers: [...cursor.headers()] });
    }
  }
  return records;
}

export class PartitionReader {
  private readonly internals = loadFetchInternals();
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
    const max = positiveInteger('maxRecordsPerPartition', options.maxRecordsPerPartition, Number.MAX_SAFE_INTEGER);
    return (await this.readSlots(requests, options)).map((slot) => recordsOf(slot, max));
  }

  /** The same read, its records handed out in request order up to `maxRecords` and `maxBytes` of keys and values. */
  async readRecords(requests: readonly PartitionFetch[], options: { timeoutMs: number; maxRecords: number; maxBytes: number }): Promise<PolledRecords> {
    const queue = new RecordQueue();
    for (const slot of await this.readSlots(requests, options)) for (const start of slot.batches) queue.push(start);
    return queue.take(options.maxRecords, options.maxBytes);
  }

  private async readSlots(requests: readonly PartitionFetch[], options: FetchLimits): Promise<Slot[]> {
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

/** One fetch of a group member's partitions: the batches per partition, and where its next fetch starts. */
export interface MemberFetch {
  readonly topic: string;
  readonly partition: number;
  readonly batches: Slot['batches'];
  readonly next: bigint;
}

/**
 * Fetches for one consumer group member over the member's own kafkajs Cluster (the kafkajs consumer, paused, keeps
 * the membership; its Fetch connection is otherwise idle), so a member's long polls never wait for another's.
 */
export class MemberFetcher {
  private readonly internals: FetchInternals = loadFetchInternals();
  private readonly lane: Lane;

  constructor(
    cluster: InternalCluster,
    private readonly isolationLevel = ISOLATION_READ_COMMITTED,
  ) {
    this.lane = { cluster, connected: true, leaders: new Map() };
  }

  async fetch(
    positions: readonly PartitionFetch[],
    limits: { maxWaitMs: number; minBytes: number; beyondEnd: BeyondEnd; cancelled: () => boolean },
  ): Promise<MemberFetch[]> {
    const options = { timeoutMs: limits.maxWaitMs, minBytes: limits.minBytes, beyondEnd: limits.beyondEnd };
    const settings = { ...readSettings(options, this.isolationLevel, Date.now()), cancelled: limits.cancelled };
    const slots = await new ReadOperation(this.lane, toSlots(positions), settings, this.internals).run();
    return slots.map(({ topic, partition, batches, next }) => ({ topic, partition, batches, next }));
  }
}
