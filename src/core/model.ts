/** Domain types shared by the services and the Kafka adapters; no dialect or kafkajs types here. */
import type { DomainError } from '../errors/domain-error.js';
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

/** A partition whose replicas are being moved. */
export interface PartitionReassignment {
  readonly topic: string;
  readonly partitionId: number;
  readonly replicas: readonly number[];
  readonly addingReplicas: readonly number[];
  readonly removingReplicas: readonly number[];
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
  deleteTopic(name: string): Promise<void>;
  /** Raises the topic's partition count to `count`. */
  increasePartitions(name: string, count: number): Promise<void>;
  /** Every config of the resource, with its source and synonyms. */
  describeConfigs(resource: ConfigResource): Promise<ConfigEntry[]>;
  /** Sets (value) or removes (null) the resource's own values of these configs; its other own values stay. */
  alterConfigs(resource: ConfigResource, changes: readonly ConfigChange[], validateOnly: boolean): Promise<void>;
  /** Earliest and log-end offsets of every partition of the topic. */
  partitionOffsets(topic: string): Promise<{ partition: number; earliest: string; latest: string }[]>;
  /** Per partition, the first offset with a timestamp at or after `timestampMs`, or the log-end offset when none is. */
  offsetsForTimestamp(topic: string, timestampMs: number): Promise<{ partition: number; offset: string }[]>;
  /** Every ongoing partition reassignment of the cluster, by topic then partition. */
  listReassignments(): Promise<PartitionReassignment[]>;
  /** The broker defaults a topic created without explicit counts gets. */
  topicDefaults(): Promise<{ partitionsCount: number; replicationFactor: number }>;
}

/** One record to produce; key, value and header values as bytes or UTF-8 text. */
export interface ProduceRecord {
  readonly topic: string;
  readonly partition?: number;
  readonly timestampMs?: number;
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers: readonly RecordHeader[];
}

export interface RecordHeader {
  readonly key: string;
  readonly value: Buffer | string | null;
}

/** Where Kafka stored a record; offsets are decimal strings (int64). */
export interface ProduceAck {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestampMs: number;
}

/** A record as read from Kafka. */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestampMs: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly { key: string; value: Buffer | null }[];
}

/**
 * A record read from Kafka, seen through a cursor that moves from record to record of a fetched batch: no object
 * per record. Key and value are ranges of a buffer (`keyBuffer` null: no key). Valid until the cursor moves on.
 */
export interface RecordView {
  readonly topic: string;
  readonly partition: number;
  /** Exact below 2^53, as every JSON answer writes offsets as numbers. */
  readonly offset: number;
  readonly timestampMs: number;
  readonly keyBuffer: Buffer | null;
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly valueBuffer: Buffer | null;
  readonly valueStart: number;
  readonly valueEnd: number;
  /** Decoded on demand: in record order, repeated keys kept. */
  headers(): readonly { key: string; value: Buffer | null }[];
}

/** One record's text in an answer (e.g. a dialect's JSON object); throws when the record cannot be shown in it. */
export type RecordText = (record: RecordView) => string;

/** Records' texts joined by commas (as UTF-8), up to the first one that could not be written. */
export interface JoinedRecords {
  readonly bytes: Buffer;
  /** The same texts as a JSON array (`[` bytes `]`), sharing their buffer. */
  array(): Buffer;
  readonly written: number;
  /** Why the record after the written ones could not be (the rest were not tried). */
  readonly failure?: unknown;
}

/** The records one poll hands out, in order (per partition, by offset), read through a RecordView. */
export interface PolledRecords {
  readonly count: number;
  /** Their texts joined by commas; texts a source wrote ahead with the same `text` function are reused. */
  join(text: RecordText): JoinedRecords;
  /** Visits the records in order; stops early when `visit` returns false. */
  forEach(visit: (record: RecordView) => boolean | void): void;
  /** Per partition, the offset after its last record here: what "commit what was handed out" commits. */
  nextOffsets(): TopicPartitionOffset[];
  /** Per partition, the offset of its first record at or after position `index`: where reading resumes when they are put back. */
  offsetsFrom(index: number): TopicPartitionOffset[];
  /** The records as objects, for the paths that keep them. */
  toArray(): ConsumedRecord[];
}

/** What the core needs to write records; implemented by src/kafka. */
export interface RecordProducerPort {
  /**
   * Resolves once Kafka acknowledged every record that could be sent (acks=all), with one entry per record in input
   * order: its ack, or the DomainError that kept it from being sent (e.g. a partition that does not exist).
   * Throws when the request as a whole fails (unknown topic, Kafka unreachable) — and, with `allOrNothing`, when
   * any record cannot be sent: then none is.
   */
  produce(records: readonly ProduceRecord[], options?: { readonly allOrNothing?: boolean }): Promise<(ProduceAck | DomainError)[]>;
  /** Whether the topic exists, from metadata cached for a few seconds (the produce path's own cache). */
  topicExists(topic: string): Promise<boolean>;
}

export type OffsetReset = 'earliest' | 'latest' | 'none';

export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export interface TopicPartitions {
  readonly topic: string;
  readonly partitions: readonly number[];
}

/** One group member's pull-style view of its subscription; implemented by src/kafka. */
export interface GroupConsumerPort {
  /** Joins the group subscribed to `topics`; records start flowing into the member's buffer. */
  start(): Promise<void>;
  /**
   * Records buffered now, or the first that arrive within `timeoutMs`; at most `maxRecords`, and no more than
   * `maxBytes` of keys and values (but always at least one record when there is one). With `writeAhead`, the
   * member writes the texts of records it fetches before they are asked for (while the caller reads this answer),
   * and the next poll joined with the same function reuses them.
   */
  poll(timeoutMs: number, maxRecords: number, maxBytes?: number, writeAhead?: RecordText): Promise<PolledRecords>;
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** The next poll of that partition starts at `offset` (buffered records of it are dropped). */
  seek(offset: TopicPartitionOffset): void;
  /** The partitions the group gave this member at its last join. */
  assignment(): TopicPartitions[];
  /** Leaves the group and disconnects. */
  close(): Promise<void>;
}

export interface GroupConsumerSpec {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly autoOffsetReset: OffsetReset;
  readonly sessionTimeoutMs: number;
  /** The broker waits for this many bytes (or its max wait) before answering a fetch; default 1. */
  readonly fetchMinBytes?: number;
}

/** Creates group members, and answers group-level questions that need no member. */
export interface GroupConsumerFactory {
  create(spec: GroupConsumerSpec): GroupConsumerPort;
  /** Committed offsets of the group, `-1` where none; in request order. */
  committed(groupId: string, partitions: readonly { topic: string; partition: number }[]): Promise<TopicPartitionOffset[]>;
  /** Commits offsets for a group this server is not a member of (a consumer with manually assigned partitions). */
  commitWithoutMembership(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>;
}

export interface PartitionReadRequest {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** Reads partitions from offsets without any consumer group; implemented by src/kafka. */
export interface PartitionReaderPort {
  /** One list per request, in request order, each starting at (or after) its offset. */
  read(requests: readonly PartitionReadRequest[], options: { timeoutMs: number; maxRecordsPerPartition: number }): Promise<ConsumedRecord[][]>;
  /** The requests' records in request order, at most `maxRecords` and `maxBytes` of keys and values (at least one record when there is one). */
  readRecords(requests: readonly PartitionReadRequest[], options: { timeoutMs: number; maxRecords: number; maxBytes: number }): Promise<PolledRecords>;
}

export interface GroupMember {
  readonly memberId: string;
  readonly clientId: string;
  readonly instanceId: string | null;
  readonly assignment: readonly TopicPartitions[];
}

export interface GroupDescription {
  readonly groupId: string;
  /** Kafka's group type: CLASSIC (the JoinGroup protocol) or CONSUMER (KIP-848's). */
  readonly type: 'CLASSIC' | 'CONSUMER';
  /** The broker coordinating the group. */
  readonly coordinatorId: number;
  /** Kafka's state names: Stable, Empty, PreparingRebalance, CompletingRebalance, Dead. */
  readonly state: string;
  readonly protocolType: string;
  readonly protocol: string;
  readonly members: readonly GroupMember[];
}

/** Consumer groups as the cluster sees them; implemented by src/kafka. */
export interface GroupAdminPort {
  listGroupIds(): Promise<string[]>;
  describeGroup(groupId: string): Promise<GroupDescription>;
  /** Every offset the group has committed. */
  committedOffsets(groupId: string): Promise<TopicPartitionOffset[]>;
}

export interface ConfigEntry {
  readonly name: string;
  /** Null when the value is sensitive. */
  readonly value: string | null;
  readonly isDefault: boolean;
  readonly isReadOnly: boolean;
  readonly isSensitive: boolean;
  /** Kafka's ConfigSource name, e.g. DYNAMIC_TOPIC_CONFIG, DEFAULT_CONFIG. */
  readonly source: string;
  readonly synonyms: readonly { name: string; value: string | null; source: string }[];
}

/** What configs belong to: a topic, a broker, or the whole cluster (broker defaults set cluster-wide). */
export type ConfigResource =
  | { readonly kind: 'topic'; readonly name: string }
  | { readonly kind: 'broker'; readonly brokerId: number }
  | { readonly kind: 'cluster' };

export interface ConfigChange {
  readonly name: string;
  /** null: remove the resource's own value. */
  readonly value: string | null;
}

/** An ACL, with Kafka's names for its enums (TOPIC, LITERAL, READ, ALLOW, ...). */
export interface AclEntry {
  readonly resourceType: string;
  readonly resourceName: string;
  readonly patternType: string;
  readonly principal: string;
  readonly host: string;
  readonly operation: string;
  readonly permission: string;
}

/** Matches ACLs; an absent field (or ANY) matches every value. */
export type AclFilter = Partial<AclEntry>;

export interface AclAdminPort {
  listAcls(filter: AclFilter): Promise<AclEntry[]>;
  createAcls(entries: readonly AclEntry[]): Promise<void>;
  /** Deletes the matching ACLs and returns them. */
  deleteAcls(filter: AclFilter): Promise<AclEntry[]>;
}
