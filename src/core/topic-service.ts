/** Topic metadata and topic creation, shared by every dialect. */
import { DomainError } from '../errors/domain-error.js';
import { eventually } from './eventually.js';
import type { ClusterAdminPort, NewTopic, PartitionReassignment, TopicInfo } from './model.js';

export class TopicService {
  constructor(private readonly admin: ClusterAdminPort) {}

  list(): Promise<TopicInfo[]> {
    return this.admin.listTopics();
  }

  async delete(name: string): Promise<void> {
    await this.get(name);
    await this.admin.deleteTopic(name);
    // Deleted already; a failed look (kafkajs trips over its own metadata right after a delete) just looks again.
    await eventually(() => this.admin.describeTopic(name).catch(() => 'not known yet' as const), (topic) => topic === undefined, 30_000);
  }

  /** Kafka only adds partitions: a count not above the current one is refused (40002). */
  async increasePartitions(name: string, count: number): Promise<TopicInfo> {
    const topic = await this.get(name);
    if (count <= topic.partitions.length) {
      throw new DomainError('kafka_rejected', `Topic '${name}' has ${topic.partitions.length} partitions; the count can only be increased.`);
    }
    await this.admin.increasePartitions(name, count);
    return this.untilLed(name, count);
  }

  /** The topic once it has (at least) `count` partitions, each with a leader: new partitions get theirs a moment later. */
  private async untilLed(name: string, count: number): Promise<TopicInfo> {
    // The broker answering metadata may not know a just-created topic yet: undefined until it does.
    await eventually(
      () => this.admin.describeTopic(name),
      (topic) => topic !== undefined && topic.partitions.length >= count && topic.partitions.every((p) => p.leader !== null),
      30_000,
    );
    return this.get(name);
  }


  /** Ongoing reassignments, of one topic when named (404 if it does not exist). */
  async reassignments(topic?: string): Promise<PartitionReassignment[]> {
    if (topic === undefined) return this.admin.listReassignments();
    await this.get(topic);
    return (await this.admin.listReassignments()).filter((r) => r.topic === topic);
  }

  /** The earliest and log-end offsets of one partition (404 for an unknown topic or partition). */
  async partitionOffsets(topic: string, partition: number): Promise<{ earliest: string; latest: string }> {
    const offsets = (await this.admin.partitionOffsets(topic)).find((o) => o.partition === partition);
    if (!offsets) throw new DomainError('partition_not_found', `Partition ${partition} of topic '${topic}' not found.`);
    return offsets;
  }

  async get(name: string): Promise<TopicInfo> {
    const topic = await this.admin.describeTopic(name);
    if (!topic) throw new DomainError('topic_not_found', `Topic '${name}' not found.`);
    return topic;
  }

  /**
   * Creates the topic and returns it as the broker now describes it. With `validateOnly` nothing is created and
   * the answer is built from the request (the broker has accepted it).
   */
  async create(topic: NewTopic): Promise<TopicInfo> {
    if (topic.replicasAssignments?.length && (topic.partitionsCount !== undefined || topic.replicationFactor !== undefined)) {
      throw new DomainError(
        'kafka_rejected',
        'Cannot specify partitions_count or replication_factor together with replicas_assignments.',
      );
    }
    await this.admin.createTopic(topic);
    if (topic.validateOnly) return this.describeRequested(topic);
    const count = topic.replicasAssignments?.length || topic.partitionsCount || 1;
    return this.untilLed(topic.name, count);
  }

  private async describeRequested(topic: NewTopic): Promise<TopicInfo> {
    const assignments = topic.replicasAssignments ?? [];
    const needDefaults = assignments.length === 0 && (topic.partitionsCount === undefined || topic.replicationFactor === undefined);
    const defaults = needDefaults ? await this.admin.topicDefaults() : undefined;
    const count = assignments.length || topic.partitionsCount || defaults?.partitionsCount || 1;
    const factor = assignments[0]?.brokerIds.length ?? topic.replicationFactor ?? defaults?.replicationFactor ?? 1;
    const replicas = Array.from({ length: factor }, (_, i) => i);
    return {
      name: topic.name,
      isInternal: false,
      partitions: Array.from({ length: count }, (_, partitionId) => ({
        partitionId,
        leader: null,
        replicas,
        inSyncReplicas: [],
      })),
    };
  }
}
