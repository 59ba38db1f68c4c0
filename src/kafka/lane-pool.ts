/**
 * Lanes for reads without a consumer group: one kafkajs Cluster each (connections kept open), with the leaders it
 * has learned. Kafka handles one request at a time per connection, so concurrent long polls on one connection would
 * queue behind each other: a read holds a lane for its duration, at most `max` lanes exist, and further reads wait
 * for one.
 */
import { DomainError } from '../errors/domain-error.js';
import { toDomainError } from './kafka-errors.js';
import type { InternalCluster } from './kafkajs-internals.js';

export interface Lane {
  cluster: InternalCluster;
  connected: boolean;
  /** topic → partition → leader node id */
  leaders: Map<string, Map<number, number>>;
}

export class LanePool {
  private readonly idle: Lane[] = [];
  private readonly all: Lane[] = [];
  private readonly waiting: ((lane: Lane | undefined) => void)[] = [];
  private closed = false;

  constructor(
    private readonly newCluster: () => InternalCluster,
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

