/** Domain types shared by the services and the Kafka adapters; no dialect or kafkajs types here. */
export interface BrokerInfo {
  readonly brokerId: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
}

export interface ClusterInfo {
  readonly clusterId: string;
  readonly controllerId: number | null;
  readonly brokers: readonly BrokerInfo[];
}

export interface PartitionInfo {
  readonly partitionId: number;
  readonly leader: number | null;
  readonly replicas: readonly number[];
  readonly inSyncReplicas: readonly number[];
}

export interface TopicInfo {
  readonly name: string;
  readonly isInternal: boolean;
  readonly partitions: readonly PartitionInfo[];
}

export interface NewTopic {
  readonly name: string;
  readonly partitionsCount?: number;
  readonly replicationFactor?: number;
  readonly replicasAssignments?: readonly { partitionId: number; brokerIds: readonly number[] }[];
  readonly configs?: readonly { name: string; value: string | null }[];
  readonly validateOnly: boolean;
}

export function replicationFactorOf(topic: TopicInfo): number {
  return topic.partitions[0]?.replicas.length ?? 0;
}

/** What the core needs from Kafka's admin API; implemented by src/kafka. */
export interface ClusterAdminPort {
  describeCluster(): Promise<ClusterInfo>;
  /** Every topic with its partitions, sorted by name. */
  listTopics(): Promise<TopicInfo[]>;
  /** Undefined when the topic does not exist. */
  describeTopic(name: string): Promise<TopicInfo | undefined>;
  createTopic(topic: NewTopic): Promise<void>;
  /** The broker defaults a topic created without explicit counts gets. */
  topicDefaults(): Promise<{ partitionsCount: number; replicationFactor: number }>;
}
