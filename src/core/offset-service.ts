/** Offsets of partitions: earliest, latest, by timestamp, and what a consumer group has committed. */
import { DomainError } from '../errors/domain-error.js';
import type { ClusterAdminPort, GroupConsumerFactory, TopicPartitionOffset } from './model.js';

export type OffsetPoint = 'earliest' | 'latest' | { timestampMs: number };

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

function groupByTopic(partitions: readonly TopicPartition[]): Map<string, number[]> {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  return byTopic;
}

const isPossibleTopicName = (name: string): boolean => /^[A-Za-z0-9._-]{1,249}$/.test(name) && name !== '.' && name !== '..';

export class OffsetService {
  constructor(
    private readonly admin: ClusterAdminPort,
    private readonly groups: GroupConsumerFactory,
  ) {}

  async at(point: OffsetPoint, partitions: readonly TopicPartition[]): Promise<TopicPartitionOffset[]> {
    const perTopic = new Map<string, Map<number, string>>();
    for (const topic of groupByTopic(partitions).keys()) perTopic.set(topic, await this.topicOffsets(topic, point));
    return partitions.map(({ topic, partition }) => {
      const offset = perTopic.get(topic)?.get(partition);
      if (offset === undefined) throw new DomainError('partition_not_found', `Partition ${partition} of topic '${topic}' not found.`);
      return { topic, partition, offset };
    });
  }

  committed(group: string, partitions: readonly TopicPartition[]): Promise<TopicPartitionOffset[]> {
    return this.groups.committed(group, partitions);
  }

  private async topicOffsets(topic: string, point: OffsetPoint): Promise<Map<number, string>> {
    // kafkajs retries an unknown topic's offset lookup for many seconds: answer 404 at once instead. A name Kafka
    // cannot hold ("." or "..", other characters, over 249) names no topic either (the broker would refuse it).
    if (!isPossibleTopicName(topic) || !(await this.admin.describeTopic(topic))) throw new DomainError('topic_not_found', `Topic '${topic}' not found.`);
    if (point === 'earliest' || point === 'latest') {
      const offsets = await this.admin.partitionOffsets(topic);
      return new Map(offsets.map((o) => [o.partition, point === 'earliest' ? o.earliest : o.latest]));
    }
    const offsets = await this.admin.offsetsForTimestamp(topic, point.timestampMs);
    return new Map(offsets.map((o) => [o.partition, o.offset]));
  }
}
