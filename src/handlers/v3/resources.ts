/** Builds v3 resources (`kind` / `metadata` / `related` envelope, CRN names) from domain objects. */
import type { components } from '../../../generated/openapi-types.js';
import { replicationFactorOf } from '../../core/model.js';
import type { BrokerInfo, ClusterInfo, ConfigEntry, PartitionInfo, PartitionReassignment, TopicInfo } from '../../core/model.js';
import type { LinkBuilder } from '../../server/links.js';

type Schemas = components['schemas'];
export type KafkaCluster = Schemas['KafkaCluster'];
export type KafkaTopic = Schemas['KafkaTopic'];
export type KafkaBroker = Schemas['KafkaBroker'];
export type KafkaPartition = Schemas['KafkaPartition'];
export type KafkaReplica = Schemas['KafkaReplica'];

/** The fields every v3 config resource (topic, broker, cluster) shares. */
function configFields(c: ConfigEntry) {
  return {
    name: c.name,
    value: c.value,
    is_default: c.isDefault,
    is_read_only: c.isReadOnly,
    is_sensitive: c.isSensitive,
    source: c.source,
    synonyms: c.synonyms.map((s) => ({ ...s })),
  };
}

export class V3Resources {
  constructor(private readonly links: LinkBuilder) {}

  clusterUrl(clusterId: string, ...rest: string[]): string {
    return this.links.url('v3', 'clusters', clusterId, ...rest);
  }

  related(clusterId: string, ...rest: string[]): { related: string } {
    // `-` is Confluent's "any" wildcard segment and is left as it is.
    return { related: this.clusterUrl(clusterId, ...rest) };
  }

  collectionMetadata(...segments: string[]): { self: string; next: null } {
    return { self: this.links.url('v3', ...segments), next: null };
  }

  cluster(info: ClusterInfo): KafkaCluster {
    const id = info.clusterId;
    return {
      kind: 'KafkaCluster',
      metadata: { self: this.clusterUrl(id), resource_name: `crn:///kafka=${id}` },
      cluster_id: id,
      ...(info.controllerId === null ? {} : { controller: this.related(id, 'brokers', String(info.controllerId)) }),
      acls: this.related(id, 'acls'),
      brokers: this.related(id, 'brokers'),
      broker_configs: this.related(id, 'broker-configs'),
      consumer_groups: this.related(id, 'consumer-groups'),
      topics: this.related(id, 'topics'),
      partition_reassignments: this.related(id, 'topics', '-', 'partitions', '-', 'reassignment'),
    };
  }

  topic(clusterId: string, topic: TopicInfo): KafkaTopic {
    return {
      kind: 'KafkaTopic',
      metadata: {
        self: this.clusterUrl(clusterId, 'topics', topic.name),
        resource_name: `crn:///kafka=${clusterId}/topic=${topic.name}`,
      },
      cluster_id: clusterId,
      topic_name: topic.name,
      is_internal: topic.isInternal,
      replication_factor: replicationFactorOf(topic),
      partitions_count: topic.partitions.length,
      partitions: this.related(clusterId, 'topics', topic.name, 'partitions'),
      configs: this.related(clusterId, 'topics', topic.name, 'configs'),
      partition_reassignments: this.related(clusterId, 'topics', topic.name, 'partitions', '-', 'reassignment'),
    };
  }

  broker(clusterId: string, b: BrokerInfo): KafkaBroker {
    const id = String(b.brokerId);
    return {
      kind: 'KafkaBroker',
      metadata: { self: this.clusterUrl(clusterId, 'brokers', id), resource_name: `crn:///kafka=${clusterId}/broker=${id}` },
      cluster_id: clusterId,
      broker_id: b.brokerId,
      host: b.host,
      port: b.port,
      rack: b.rack,
      configs: this.related(clusterId, 'brokers', id, 'configs'),
      partition_replicas: this.related(clusterId, 'brokers', id, 'partition-replicas'),
    };
  }

  partition(clusterId: string, topic: string, p: PartitionInfo): KafkaPartition {
    const id = String(p.partitionId);
    return {
      kind: 'KafkaPartition',
      metadata: {
        self: this.clusterUrl(clusterId, 'topics', topic, 'partitions', id),
        resource_name: `crn:///kafka=${clusterId}/topic=${topic}/partition=${id}`,
      },
      cluster_id: clusterId,
      topic_name: topic,
      partition_id: p.partitionId,
      ...(p.leader === null ? {} : { leader: this.related(clusterId, 'topics', topic, 'partitions', id, 'replicas', String(p.leader)) }),
      replicas: this.related(clusterId, 'topics', topic, 'partitions', id, 'replicas'),
      reassignment: this.related(clusterId, 'topics', topic, 'partitions', id, 'reassignment'),
    };
  }

  replica(clusterId: string, topic: string, p: PartitionInfo, brokerId: number): KafkaReplica {
    const path = ['topics', topic, 'partitions', String(p.partitionId), 'replicas', String(brokerId)];
    return {
      kind: 'KafkaReplica',
      metadata: { self: this.clusterUrl(clusterId, ...path), resource_name: `crn:///kafka=${clusterId}/topic=${topic}/partition=${p.partitionId}/replica=${brokerId}` },
      cluster_id: clusterId,
      topic_name: topic,
      partition_id: p.partitionId,
      broker_id: brokerId,
      is_leader: p.leader === brokerId,
      is_in_sync: p.inSyncReplicas.includes(brokerId),
      broker: this.related(clusterId, 'brokers', String(brokerId)),
    };
  }

  topicConfig(clusterId: string, topic: string, c: ConfigEntry): Schemas['KafkaTopicConfig'] {
    return {
      kind: 'KafkaTopicConfig',
      metadata: { self: this.clusterUrl(clusterId, 'topics', topic, 'configs', c.name), resource_name: `crn:///kafka=${clusterId}/topic=${topic}/config=${c.name}` },
      cluster_id: clusterId,
      topic_name: topic,
      ...configFields(c),
      source: c.source as Schemas['KafkaTopicConfig']['source'],
    };
  }

  brokerConfig(clusterId: string, brokerId: number, c: ConfigEntry): Schemas['KafkaBrokerConfig'] {
    const id = String(brokerId);
    return {
      kind: 'KafkaBrokerConfig',
      metadata: { self: this.clusterUrl(clusterId, 'brokers', id, 'configs', c.name), resource_name: `crn:///kafka=${clusterId}/broker=${id}/config=${c.name}` },
      cluster_id: clusterId,
      broker_id: brokerId,
      ...configFields(c),
    };
  }

  clusterConfig(clusterId: string, c: ConfigEntry): Schemas['KafkaClusterConfig'] {
    return {
      kind: 'KafkaClusterConfig',
      metadata: { self: this.clusterUrl(clusterId, 'broker-configs', c.name), resource_name: `crn:///kafka=${clusterId}/broker-config=${c.name}` },
      cluster_id: clusterId,
      config_type: 'BROKER',
      ...configFields(c),
    };
  }

  reassignment(clusterId: string, r: PartitionReassignment): Schemas['KafkaReassignment'] {
    const id = String(r.partitionId);
    return {
      kind: 'KafkaReassignment',
      metadata: {
        self: this.clusterUrl(clusterId, 'topics', r.topic, 'partitions', id, 'reassignment'),
        resource_name: `crn:///kafka=${clusterId}/topic=${r.topic}/partition=${id}/reassignment`,
      },
      cluster_id: clusterId,
      topic_name: r.topic,
      partition_id: r.partitionId,
      adding_replicas: [...r.addingReplicas],
      removing_replicas: [...r.removingReplicas],
      replicas: this.related(clusterId, 'topics', r.topic, 'partitions', id, 'replicas'),
    };
  }
}
