/**
 * One read of partitions from offsets, on one lane: fetch rounds until every partition has records or is known to
 * have none yet, with what that takes — finding and refreshing leaders (a partition just created gets its leader a
 * moment later), moving past offsets deleted by retention, fetching again past data that was all invisible
 * (control records, aborted transactions). The records stay in their batches (BatchPosition), read lazily later.
 */
import { DomainError } from '../errors/domain-error.js';
import { FETCH_API_KEY, FETCH_VERSION, fetchResponseDecoder, visibleBatches } from './fetch-protocol.js';
import type { FetchInternals, FetchRequestTopic, WireFetchResponse, WirePartition } from './fetch-protocol.js';
import { toDomainError } from './kafka-errors.js';
import type { InternalBroker } from './kafkajs-internals.js';
import type { Lane } from './lane-pool.js';
import { decodeRecords, positionOf } from './record-batch.js';
import type { BatchPosition } from './record-batch.js';

/** Leader refreshes one read makes before answering 503: at once, then pauses of 0.1, 0.2, 0.4, 0.8, 1 s... */
const STALE_LEADER_RETRIES = 8;

export interface Slot {
  readonly topic: string;
  readonly partition: number;
  readonly requested: bigint;
  /** Where the next fetch for this partition starts. */
  next: bigint;
  /** The fetched batches, each from its first record at or after the requested offset. */
  batches: BatchPosition[];
  done: boolean;
}

/** What an offset past the partition's end means: the caller's mistake (stateless reads), or a reset (groups). */
export type BeyondEnd = 'fail' | 'earliest' | 'latest';

export interface ReadSettings {
  readCommitted: boolean;
  isolationLevel: number;
  maxWaitDeadline: number;
  /** Per partition. */
  maxBytes: number;
  /** The broker waits (up to the deadline) until this many bytes are there to answer. */
  minBytes: number;
  beyondEnd: BeyondEnd;
  /** Checked between fetch rounds: true ends the read with what it has. */
  cancelled?: () => boolean;
}

export const ISOLATION_READ_UNCOMMITTED = 0;
export const ISOLATION_READ_COMMITTED = 1;
export const INT32_MAX = 2 ** 31 - 1;
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

export class ReadOperation {
  private staleRetries = 0;
  private lastConnectionError: unknown;

  constructor(
    private readonly lane: Lane,
    private readonly slots: Slot[],
    private readonly settings: ReadSettings,
    private readonly internals: FetchInternals,
  ) {}

  /**
   * A slot stays pending only when it must be fetched again (stale leader, offset below the log start, invisible
   * records skipped); rounds after the deadline wait 0 ms, so they cost a round trip, not the timeout again.
   */
  async run(): Promise<Slot[]> {
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const pending = this.slots.filter((s) => !s.done);
      if (pending.length === 0 || this.settings.cancelled?.()) break;
      await this.ensureLeaders(pending);
      await this.fetchRound(pending, Math.max(0, this.settings.maxWaitDeadline - Date.now()));
    }
    return this.slots;
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
        slot.done = !(await this.takeBatches(slot, partition));
      }
    }
  }

  /**
   * Takes the partition's visible batches into the slot. True when the fetch moved past data that was all invisible
   * (control records, aborted transactions, offsets compacted away): the caller must fetch again from after it, or a
   * client that asks again from its last offset would get nothing forever.
   */
  private async takeBatches(slot: Slot, partition: WirePartition): Promise<boolean> {
    const from = slot.next; // Kafka returns whole batches: the first one may start before it.
    let taken = 0;
    for (const batch of await visibleBatches(partition, this.settings.readCommitted, this.internals.codecFor)) {
      if (batch.lastOffset < from) continue;
      const start = positionOf(await decodeRecords(slot.topic, slot.partition, batch, this.internals.codecFor), from);
      if (start === undefined) continue;
      slot.batches.push(start);
      taken += start.batch.count - start.index;
    }
    const last = partition.batches.at(-1);
    if (last !== undefined && last.lastOffset >= from) slot.next = last.lastOffset + 1n;
    return taken === 0 && slot.next > from;
  }

  /** The leader's answer, or undefined when it could not be reached (then treated like a stale leader). */
  private async fetchFromLeader(leader: number, slots: Slot[], maxWait: number): Promise<WireFetchResponse | undefined> {
    let broker: InternalBroker | undefined;
    try {
      broker = await this.lane.cluster.findBroker({ nodeId: String(leader) });
      this.assertFetchVersion(broker);
      const { request, requestTimeout } = this.internals.fetchProtocol({
        replicaId: -1,
        isolationLevel: this.settings.isolationLevel,
        maxWaitTime: Math.min(maxWait, INT32_MAX),
        minBytes: this.settings.minBytes,
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

  private assertFetchVersion(broker: InternalBroker): void {
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
    } else if (slot.next > latest && this.settings.beyondEnd !== 'fail') {
      slot.next = this.settings.beyondEnd === 'earliest' ? earliest : latest; // a group's auto.offset.reset
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
