/**
 * Requests a consumer group's coordinator answers for the group without joining it: which broker coordinates it,
 * and offset commits from outside the group (generation -1, no member id — what a Java consumer with no
 * subscription sends for `commitSync(offsets)`). kafkajs's admin `setOffsets` joins the group as a member instead,
 * which takes seconds (join, then wait for a fetch) and is refused while the group has members. These go through a
 * Cluster of our own (kafkajs-internals.ts), connected on first use.
 */
import type { Kafka } from 'kafkajs';
import { DomainError } from '../errors/domain-error.js';
import type { TopicPartitionOffset } from '../core/model.js';
import { kafkaCall, kafkaRetryingCall } from './kafka-errors.js';
import { createInternalCluster } from './kafkajs-internals.js';
import type { InternalBroker, InternalCluster } from './kafkajs-internals.js';

const READ_UNCOMMITTED = 0; // irrelevant to group requests; the factory wants one

interface CoordinatorCluster extends InternalCluster {
  findGroupCoordinator(request: { groupId: string }): Promise<InternalBroker & CommittingBroker>;
  findGroupCoordinatorMetadata(request: { groupId: string }): Promise<{ coordinator: { nodeId: number } }>;
}

interface CommittingBroker {
  offsetCommit(request: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<unknown>;
}

/** Kafka's answer to a commit from outside a group that has members: it takes such commits only while the group is empty. */
const HAS_MEMBERS = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS']);

function byTopic(offsets: readonly TopicPartitionOffset[]): { topic: string; partitions: { partition: number; offset: string }[] }[] {
  const topics = new Map<string, { partition: number; offset: string }[]>();
  for (const { topic, partition, offset } of offsets) topics.set(topic, [...(topics.get(topic) ?? []), { partition, offset }]);
  return [...topics].map(([topic, partitions]) => ({ topic, partitions }));
}

export class GroupCoordinatorClient {
  private cluster: Promise<CoordinatorCluster> | undefined;

  constructor(private readonly kafka: Kafka) {}

  /** The id of the broker that coordinates the group. */
  coordinatorId(groupId: string): Promise<number> {
    return this.withCluster(`find the coordinator of group '${groupId}'`, async (cluster) => {
      const { coordinator } = await cluster.findGroupCoordinatorMetadata({ groupId });
      return coordinator.nodeId;
    });
  }

  /** Stores the offsets for the group as a commit from outside it (409/40903 while the group has members). */
  async commit(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    try {
      await this.withCluster(`commit offsets of group '${groupId}'`, async (cluster) => {
        const coordinator = await cluster.findGroupCoordinator({ groupId });
        await coordinator.offsetCommit({ groupId, groupGenerationId: -1, memberId: '', topics: byTopic(offsets) });
      });
    } catch (error) {
      const type = ((error as DomainError).cause as { type?: string } | undefined)?.type;
      if (type && HAS_MEMBERS.has(type)) {
        throw new DomainError(
          'illegal_state',
          `Group '${groupId}' has active members, and Kafka takes offsets committed from outside a group only while it has none: commit through a subscribed instance of the group, or when its members have left.`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  async disconnect(): Promise<void> {
    const cluster = this.cluster;
    this.cluster = undefined;
    if (cluster) await (await cluster.catch(() => undefined))?.disconnect();
  }

  /** Retries while the coordinator is loading or moving; a failed connection is dropped so the next call starts afresh. */
  private async withCluster<T>(context: string, request: (cluster: CoordinatorCluster) => Promise<T>): Promise<T> {
    try {
      const cluster = await kafkaCall(context, () => (this.cluster ??= this.connect()));
      return await kafkaRetryingCall(context, () => request(cluster));
    } catch (error) {
      if ((error as DomainError).kind === 'kafka_unavailable') await this.disconnect().catch(() => undefined);
      throw error;
    }
  }

  private async connect(): Promise<CoordinatorCluster> {
    const cluster = createInternalCluster(this.kafka, READ_UNCOMMITTED) as CoordinatorCluster;
    try {
      await cluster.connect();
      // The broker pool knows only the seed broker until metadata is loaded (group lookups ask the pool's brokers).
      await cluster.refreshMetadata();
    } catch (error) {
      this.cluster = undefined;
      throw error;
    }
    return cluster;
  }
}
