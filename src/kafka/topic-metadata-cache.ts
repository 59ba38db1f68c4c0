/**
 * Partition counts of topics, cached briefly, read with the admin client (which never auto-creates topics), and
 * whether the broker auto-creates topics on produce — so a produce to an unknown topic fails fast with 404 instead
 * of kafkajs retrying its metadata forever, and does what a Java producer would when the broker allows creation.
 */
import type { Admin } from 'kafkajs';
import kafkajs from 'kafkajs';
import { kafkaCall } from './kafka-errors.js';
import { topicPartitionsIfExists } from './topic-lookup.js';

const { ConfigResourceTypes } = kafkajs;

interface Entry {
  readonly partitions: number;
  readonly at: number;
}

export class TopicMetadataCache {
  private readonly entries = new Map<string, Entry>();
  private readonly reading = new Map<string, Promise<number | undefined>>();
  private autoCreate: Promise<number | undefined> | undefined;

  constructor(
    private readonly admin: Admin,
    private readonly ttlMs = 5_000,
  ) {}

  /**
   * The topic's partition count, or undefined when it does not exist. `atLeast`: a partition the caller names —
   * a cached count that does not reach it is read again, since partitions may have been added meanwhile.
   * An expired count is still answered while one read refreshes it in the background: under load, every request
   * arriving while the entry was being re-read used to wait for (and send) a metadata request of its own.
   */
  async partitionCount(topic: string, atLeast = 0): Promise<number | undefined> {
    const cached = this.entries.get(topic);
    if (cached && cached.partitions >= atLeast) {
      if (Date.now() - cached.at >= this.ttlMs) this.refresh(topic).catch(() => undefined);
      return cached.partitions;
    }
    return this.refresh(topic);
  }

  /** Drops what is known of a topic (it is being deleted). */
  forget(topic: string): void {
    this.entries.delete(topic);
  }

  /** One metadata read per topic at a time; callers arriving meanwhile share it. */
  private refresh(topic: string): Promise<number | undefined> {
    let pending = this.reading.get(topic);
    if (!pending) {
      pending = this.read(topic).finally(() => this.reading.delete(topic));
      this.reading.set(topic, pending);
    }
    return pending;
  }

  private async read(topic: string): Promise<number | undefined> {
    const count = await kafkaCall(`describe topic '${topic}'`, async () => (await topicPartitionsIfExists(this.admin, topic))?.length);
    if (count === undefined) this.entries.delete(topic);
    else this.entries.set(topic, { partitions: count, at: Date.now() });
    return count;
  }

  /**
   * Whether the cluster's brokers create topics on produce (`auto.create.topics.enable`), and with how many
   * partitions (`num.partitions`): undefined when they do not. Read once.
   */
  autoCreatedPartitions(): Promise<number | undefined> {
    this.autoCreate ??= kafkaCall('describe broker config', async () => {
      const { brokers } = await this.admin.describeCluster();
      const { resources } = await this.admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.BROKER, name: String(brokers[0]?.nodeId ?? 0), configNames: ['auto.create.topics.enable', 'num.partitions'] }],
      });
      const value = (name: string): string | null | undefined => resources[0]?.configEntries.find((e) => e.configName === name)?.configValue;
      return value('auto.create.topics.enable') === 'true' ? Number(value('num.partitions') ?? 1) : undefined;
    }).catch((error: unknown) => {
      this.autoCreate = undefined;
      throw error;
    });
    return this.autoCreate;
  }
}
