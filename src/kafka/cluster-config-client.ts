/**
 * Cluster-wide broker config defaults: the broker config resource with an empty name, as the Java admin client's
 * `new ConfigResource(BROKER, "")`. The kafkajs admin refuses an empty resource name, so these two requests go
 * through a Cluster of our own (kafkajs-internals.ts); describing that resource returns only the values set
 * cluster-wide (source DYNAMIC_DEFAULT_BROKER_CONFIG).
 */
import kafkajs from 'kafkajs';
import type { Kafka } from 'kafkajs';
import { createInternalCluster } from './kafkajs-internals.js';
import type { InternalBroker, InternalCluster, InternalConfigEntry } from './kafkajs-internals.js';

const { ConfigResourceTypes } = kafkajs;
const CLUSTER_DEFAULTS = { type: ConfigResourceTypes.BROKER, name: '' };
const READ_UNCOMMITTED = 0; // irrelevant to config requests; the factory wants one

export class ClusterConfigClient {
  private cluster: Promise<InternalCluster> | undefined;

  constructor(private readonly kafka: Kafka) {}

  async describe(): Promise<InternalConfigEntry[]> {
    const { resources } = await this.withBroker((broker) => broker.describeConfigs({ resources: [{ ...CLUSTER_DEFAULTS }], includeSynonyms: true }));
    return resources[0]?.configEntries ?? [];
  }

  /** Replaces every cluster-wide value with `entries` (Kafka's non-incremental AlterConfigs). */
  async replace(entries: { name: string; value: string }[], validateOnly: boolean): Promise<void> {
    await this.withBroker((broker) => broker.alterConfigs({ resources: [{ ...CLUSTER_DEFAULTS, configEntries: entries }], validateOnly }));
  }

  async disconnect(): Promise<void> {
    const cluster = this.cluster;
    this.cluster = undefined;
    if (cluster) await (await cluster.catch(() => undefined))?.disconnect();
  }

  /** Any broker can answer; a failed request drops the connections so the next one starts afresh. */
  private async withBroker<T>(request: (broker: InternalBroker) => Promise<T>): Promise<T> {
    try {
      const cluster = await (this.cluster ??= this.connect());
      await cluster.refreshMetadata();
      return await request(await cluster.findControllerBroker());
    } catch (error) {
      await this.disconnect().catch(() => undefined);
      throw error;
    }
  }

  private async connect(): Promise<InternalCluster> {
    const cluster = createInternalCluster(this.kafka, READ_UNCOMMITTED);
    await cluster.connect();
    return cluster;
  }
}
