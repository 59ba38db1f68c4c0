/** Implements the core's ClusterAdminPort with the kafkajs admin client. */
import kafkajs from 'kafkajs';
import type { Admin, PartitionMetadata } from 'kafkajs';
import type { ClusterAdminPort, ClusterInfo, ConfigChange, ConfigEntry, ConfigResource, NewTopic, PartitionInfo, PartitionReassignment, TopicInfo } from '../core/model.js';
import { DomainError } from '../errors/domain-error.js';
import type { ClusterConfigClient } from './cluster-config-client.js';
import { kafkaCall, kafkaRetryingCall } from './kafka-errors.js';
import { fetchTopicOffsets, topicPartitionsIfExists, withTopicMetadataRecovery } from './topic-lookup.js';
import type { InternalConfigEntry } from './kafkajs-internals.js';

// kafkajs is CommonJS and Node's named-export detection misses some of its exports: use the default export.
const { ConfigResourceTypes } = kafkajs;

/** Kafka's ConfigSource ids (DescribeConfigs v1+). */
const CONFIG_SOURCES = ['UNKNOWN', 'DYNAMIC_TOPIC_CONFIG', 'DYNAMIC_BROKER_CONFIG', 'DYNAMIC_DEFAULT_BROKER_CONFIG', 'STATIC_BROKER_CONFIG', 'DEFAULT_CONFIG', 'DYNAMIC_BROKER_LOGGER_CONFIG'];
const sourceName = (id: number | undefined): string => CONFIG_SOURCES[id ?? 0] ?? 'UNKNOWN';

function toConfigEntry(e: InternalConfigEntry): ConfigEntry {
  return {
    name: e.configName,
    value: e.isSensitive ? null : e.configValue,
    isDefault: e.isDefault,
    isReadOnly: e.readOnly,
    isSensitive: e.isSensitive,
    source: sourceName(e.configSource),
    synonyms: (e.configSynonyms ?? []).map((s) => ({ name: s.configName, value: e.isSensitive ? null : s.configValue, source: sourceName(s.configSource) })),
  };
}

/** The ConfigSource of a resource's own values. */
const OWN_SOURCE: Record<ConfigResource['kind'], string> = {
  topic: 'DYNAMIC_TOPIC_CONFIG',
  broker: 'DYNAMIC_BROKER_CONFIG',
  cluster: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
};

type AdminConfigResource = Exclude<ConfigResource, { kind: 'cluster' }>;

function toKafkaResource(resource: AdminConfigResource): { type: number; name: string } {
  if (resource.kind === 'topic') return { type: ConfigResourceTypes.TOPIC, name: resource.name };
  return { type: ConfigResourceTypes.BROKER, name: String(resource.brokerId) };
}

function describe(resource: ConfigResource): string {
  if (resource.kind === 'cluster') return 'the cluster';
  return resource.kind === 'topic' ? `topic '${resource.name}'` : `broker ${resource.brokerId}`;
}

/** Kafka's own list (org.apache.kafka.common.internals.Topic.INTERNAL_TOPICS). */
const INTERNAL_TOPICS = new Set(['__consumer_offsets', '__transaction_state']);

function toPartition(p: PartitionMetadata): PartitionInfo {
  return {
    partitionId: p.partitionId,
    leader: p.leader >= 0 ? p.leader : null,
    replicas: p.replicas,
    inSyncReplicas: p.isr,
  };
}

function toTopic(name: string, partitions: PartitionMetadata[]): TopicInfo {
  return {
    name,
    isInternal: INTERNAL_TOPICS.has(name),
    partitions: partitions.map(toPartition).sort((a, b) => a.partitionId - b.partitionId),
  };
}

/** Keeps our Kafka clients from naming deleted topics in their metadata requests (KafkaClient.forgetTopic). */
export interface DeletedTopics {
  /** Called before this node deletes a topic. */
  forget(topic: string): void;
  /** Called when a call failed on a topic another client (another node) deleted after we looked it up. */
  forgetDeleted(): Promise<void>;
}

export class KafkaClusterAdmin implements ClusterAdminPort {
  constructor(
    private readonly admin: Admin,
    private readonly clusterConfigs: ClusterConfigClient,
    private readonly deletedTopics: DeletedTopics = { forget: () => undefined, forgetDeleted: async () => undefined },
  ) {}

  describeCluster(): Promise<ClusterInfo> {
    return kafkaCall('describe cluster', async () => {
      const { clusterId, controller, brokers } = await this.admin.describeCluster();
      return {
        clusterId,
        controllerId: controller,
        brokers: brokers
          .map((b) => ({ brokerId: b.nodeId, host: b.host, port: b.port, rack: null }))
          .sort((a, b) => a.brokerId - b.brokerId),
      };
    });
  }

  listTopics(): Promise<TopicInfo[]> {
    return kafkaCall('list topics', async () => {
      const { topics } = await this.admin.fetchTopicMetadata();
      return topics.map((t) => toTopic(t.name, t.partitions)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    });
  }

  /** One topic's metadata (the admin client never auto-creates topics, so asking for an unknown one is safe). */
  describeTopic(name: string): Promise<TopicInfo | undefined> {
    return kafkaCall(`describe topic '${name}'`, async () => {
      const partitions = await topicPartitionsIfExists(this.admin, name);
      return partitions ? toTopic(name, partitions) : undefined;
    });
  }

  createTopic(topic: NewTopic): Promise<void> {
    return kafkaCall(`create topic '${topic.name}'`, () =>
      this.create(topic).catch(async (error: unknown) => {
        // A topic this node looked up was deleted elsewhere (another node): forget it, and try once more.
        if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
        await this.deletedTopics.forgetDeleted();
        await this.create(topic);
      }),
    );
  }

  private async create(topic: NewTopic): Promise<void> {
    const created = await this.admin.createTopics({
      validateOnly: topic.validateOnly,
      // The core waits for the leaders itself: kafkajs gives up after a few seconds on a loaded broker.
      waitForLeaders: false,
      topics: [
        {
          topic: topic.name,
          ...(topic.partitionsCount === undefined ? {} : { numPartitions: topic.partitionsCount }),
          ...(topic.replicationFactor === undefined ? {} : { replicationFactor: topic.replicationFactor }),
          ...(topic.replicasAssignments?.length
            ? { replicaAssignment: topic.replicasAssignments.map((a) => ({ partition: a.partitionId, replicas: [...a.brokerIds] })) }
            : {}),
          configEntries: (topic.configs ?? []).map((c) => ({ name: c.name, value: c.value ?? '' })),
        },
      ],
    });
    // kafkajs answers false, without an error, when the topic already exists.
    if (!created && !topic.validateOnly) {
      throw Object.assign(new Error(`Topic '${topic.name}' already exists.`), { type: 'TOPIC_ALREADY_EXISTS' });
    }
  }

  deleteTopic(name: string): Promise<void> {
    this.deletedTopics.forget(name);
    return kafkaCall(`delete topic '${name}'`, () => this.admin.deleteTopics({ topics: [name] }));
  }

  increasePartitions(name: string, count: number): Promise<void> {
    return kafkaCall(`add partitions to '${name}'`, async () => {
      await this.admin.createPartitions({ topicPartitions: [{ topic: name, count }] });
    });
  }

  describeConfigs(resource: ConfigResource): Promise<ConfigEntry[]> {
    return kafkaCall(`describe configs of ${describe(resource)}`, async () => {
      return (await this.rawConfigs(resource)).map(toConfigEntry).sort((a, b) => (a.name < b.name ? -1 : 1));
    });
  }

  alterConfigs(resource: ConfigResource, changes: readonly ConfigChange[], validateOnly: boolean): Promise<void> {
    return kafkaCall(`alter configs of ${describe(resource)}`, async () => {
      // kafkajs has only the non-incremental AlterConfigs, which replaces all of a resource's own values: start
      // from them. (Sensitive own values cannot be read back, so a resource with some cannot be altered this way.)
      const entries = await this.describeConfigs(resource);
      const own = new Map(entries.filter((e) => e.source === OWN_SOURCE[resource.kind]).map((e) => [e.name, e.value]));
      if ([...own.values()].some((v) => v === null)) {
        throw new DomainError('kafka_rejected', `${describe(resource)} has sensitive values of its own; they cannot be preserved by this Kafka client.`);
      }
      for (const { name, value } of changes) {
        if (value === null) own.delete(name);
        else own.set(name, value);
      }
      const configEntries = [...own].map(([name, value]) => ({ name, value: value ?? '' }));
      if (resource.kind === 'cluster') await this.clusterConfigs.replace(configEntries, validateOnly);
      else await this.admin.alterConfigs({ validateOnly, resources: [{ ...toKafkaResource(resource), configEntries }] });
    });
  }

  private async rawConfigs(resource: ConfigResource): Promise<InternalConfigEntry[]> {
    if (resource.kind === 'cluster') return this.clusterConfigs.describe();
    const { resources } = await this.admin.describeConfigs({ includeSynonyms: true, resources: [toKafkaResource(resource)] });
    return resources[0]?.configEntries ?? [];
  }

  partitionOffsets(topic: string): Promise<{ partition: number; earliest: string; latest: string }[]> {
    return kafkaRetryingCall(`fetch offsets of '${topic}'`, async () => {
      const offsets = await fetchTopicOffsets(this.admin, topic);
      return offsets.map((o) => ({ partition: o.partition, earliest: o.low, latest: o.high }));
    });
  }

  offsetsForTimestamp(topic: string, timestampMs: number): Promise<{ partition: number; offset: string }[]> {
    return kafkaRetryingCall(`fetch offsets of '${topic}' by time`, () =>
      withTopicMetadataRecovery(this.admin, topic, () => this.admin.fetchTopicOffsetsByTimestamp(topic, timestampMs)),
    );
  }

  listReassignments(): Promise<PartitionReassignment[]> {
    return kafkaCall('list partition reassignments', async () => {
      const { topics } = await this.admin.listPartitionReassignments({});
      // kafkajs's typings say {topic, partitions: [{partitionIndex}]}; its decoder returns {name, partitions: [{partition}]}.
      const decoded = topics as unknown as { name: string; partitions: { partition: number; replicas: number[]; addingReplicas: number[]; removingReplicas: number[] }[] }[];
      return decoded
        .flatMap(({ name, partitions }) =>
          partitions.map((p) => ({
            topic: name,
            partitionId: p.partition,
            replicas: p.replicas,
            addingReplicas: p.addingReplicas,
            removingReplicas: p.removingReplicas,
          })),
        )
        .sort((a, b) => (a.topic === b.topic ? a.partitionId - b.partitionId : a.topic < b.topic ? -1 : 1));
    });
  }

  topicDefaults(): Promise<{ partitionsCount: number; replicationFactor: number }> {
    return kafkaCall('describe broker defaults', async () => {
      const { controllerId, brokers } = await this.describeCluster();
      const brokerId = String(controllerId ?? brokers[0]?.brokerId ?? 0);
      const { resources } = await this.admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          { type: ConfigResourceTypes.BROKER, name: brokerId, configNames: ['num.partitions', 'default.replication.factor'] },
        ],
      });
      const entries = resources[0]?.configEntries ?? [];
      const value = (name: string): number => Number(entries.find((e) => e.configName === name)?.configValue ?? 1);
      return { partitionsCount: value('num.partitions'), replicationFactor: value('default.replication.factor') };
    });
  }
}
