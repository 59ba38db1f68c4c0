/**
 * A topic's partition metadata, or undefined when Kafka does not know the topic — asked once, answered at once.
 * (kafkajs retries requests that name an unknown topic — committed offsets, offset commits — for 15 s and more.)
 */
import type { Admin, PartitionMetadata } from 'kafkajs';
import { DomainError } from '../errors/domain-error.js';
import { adminClusterOf } from './kafkajs-internals.js';

export async function topicPartitionsIfExists(admin: Admin, topic: string): Promise<PartitionMetadata[] | undefined> {
  // kafkajs replaces the admin client's metadata with this answer: one naming only this topic would drop the
  // metadata of the topics offset lookups in flight rely on (they fail with a TypeError, see
  // withTopicMetadataRecovery), so the admin's metadata targets are asked for too.
  const targets = [...(adminClusterOf(admin)?.targetTopics ?? [])].filter((target) => target !== topic);
  const partitions = await partitionsIn(admin, topic, [topic, ...targets]);
  // Not found among targets: one of them may have been deleted elsewhere, which fails the whole answer.
  return partitions !== undefined || targets.length === 0 ? partitions : partitionsIn(admin, topic, [topic]);
}

async function partitionsIn(admin: Admin, topic: string, topics: string[]): Promise<PartitionMetadata[] | undefined> {
  try {
    const metadata = await admin.fetchTopicMetadata({ topics });
    return metadata.topics.find((t) => t.name === topic)?.partitions;
  } catch (error) {
    if ((error as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION') return undefined;
    throw error;
  }
}

/** Throws the 404 kinds unless every topic and partition exists. */
export async function requireTopicPartitions(admin: Admin, partitions: readonly { topic: string; partition: number }[]): Promise<void> {
  for (const topic of new Set(partitions.map((p) => p.topic))) {
    const known = await topicPartitionsIfExists(admin, topic);
    if (!known) throw new DomainError('topic_not_found', `Topic '${topic}' not found.`);
    const missing = partitions.find((p) => p.topic === topic && !known.some((k) => k.partitionId === p.partition));
    if (missing) throw new DomainError('partition_not_found', `Partition ${missing.partition} of topic '${topic}' not found.`);
  }
}

const METADATA_RECOVERY_ATTEMPTS = 6;

type TopicOffsets = Awaited<ReturnType<Admin['fetchTopicOffsets']>>;
type GroupOffsets = Awaited<ReturnType<Admin['fetchOffsets']>>;

/** Per admin cluster: how many of our calls in flight need each topic that they, not someone else, made a target. */
const targetUsers = new WeakMap<object, Map<string, number>>();

/**
 * Runs an admin call that makes kafkajs add topics to the admin client's metadata targets (fetchTopicOffsets,
 * fetchOffsets with topics), and drops the targets it added once no call of ours needs them. kafkajs keeps them for
 * good; once such a topic is deleted — by another client, another node — every later call that adds a topic
 * refreshes metadata naming the deleted one, fails UNKNOWN_TOPIC_OR_PARTITION and retries for 15 s and more: a
 * consumer instance's creation, any other topic's offsets.
 */
export async function withTopicTargets<T>(admin: Admin, topics: readonly string[], call: () => Promise<T>): Promise<T> {
  const cluster = adminClusterOf(admin);
  if (!cluster) return call();
  const users = targetUsers.get(cluster) ?? new Map<string, number>();
  targetUsers.set(cluster, users);
  const ours = [...new Set(topics)].filter((topic) => users.has(topic) || !cluster.targetTopics.has(topic));
  for (const topic of ours) users.set(topic, (users.get(topic) ?? 0) + 1);
  try {
    return await call();
  } finally {
    for (const topic of ours) {
      const left = (users.get(topic) ?? 1) - 1;
      if (left > 0) users.set(topic, left);
      else {
        users.delete(topic);
        // Read the set afresh: kafkajs replaces it when adding targets fails.
        cluster.targetTopics.delete(topic);
      }
    }
  }
}

/**
 * An admin call about one topic's offsets (kafkajs's fetchTopicOffsets, fetchTopicOffsetsByTimestamp), made to
 * recover when kafkajs's metadata knows no leader for the topic. kafkajs then asks no broker and fails with a
 * TypeError ("Cannot destructure property 'partitions' of 'high.pop(...)'", or of 'offsets.pop(...)') that its
 * retrier does not retry, and asking again reads the same metadata. It happens when the admin's metadata was
 * replaced, between kafkajs's refresh and its read, by an answer that lacks the topic — another call's refresh
 * shared while the topic was not yet a target — or right after the topic was made. A refresh of every target
 * (this topic is one while the call runs) restores it; when that does not do within the attempts, Kafka's metadata
 * is not ready and the caller gets a 503 to retry.
 */
export async function withTopicMetadataRecovery<T>(admin: Admin, topic: string, call: () => Promise<T>): Promise<T> {
  return withTopicTargets(admin, [topic], async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
        if (attempt >= METADATA_RECOVERY_ATTEMPTS) {
          throw new DomainError('kafka_unavailable', `Kafka's metadata names no leader for topic '${topic}' yet; retry.`, { cause: error });
        }
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
        await adminClusterOf(admin)?.refreshMetadata();
      }
    }
  });
}

export function fetchTopicOffsets(admin: Admin, topic: string): Promise<TopicOffsets> {
  return withTopicMetadataRecovery(admin, topic, () => admin.fetchTopicOffsets(topic));
}

/** The group's committed offsets of these topics (kafkajs's fetchOffsets), leaving no topic a metadata target. */
export function fetchCommittedOffsets(admin: Admin, groupId: string, topics: readonly string[]): Promise<GroupOffsets> {
  return withTopicTargets(admin, topics, () => admin.fetchOffsets({ groupId, topics: [...topics] }));
}
