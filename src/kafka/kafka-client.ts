/**
 * The process's one connection to Kafka: a kafkajs client with one shared idempotent producer (acks=all) and one
 * admin client, connected once at start and reused by every request.
 */
import type { ConnectionOptions } from 'node:tls';
import './kafkajs-request-queue.js';
import './kafkajs-produce-encoding.js';
import { Kafka, logLevel as KafkaLogLevel } from 'kafkajs';
import type { Admin, KafkaConfig, Producer, SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';
import { DomainError } from '../errors/domain-error.js';
import type { KafkaSecurityConfig } from '../config/config.js';
import { loadKeyStore, loadTrustStore } from '../config/key-stores.js';
import { rememberAdminCluster, withInternalCluster } from './kafkajs-internals.js';
import { pinoLogCreator } from './kafkajs-log.js';
import type { InternalCluster } from './kafkajs-internals.js';
import { pinningPartitioner } from './pinning-partitioner.js';
import { PRODUCER_METADATA_MAX_AGE_MS } from './record-producer.js';

export interface KafkaClientOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly requestTimeoutMs: number;
  readonly logger: Logger;
  /** Default: PLAINTEXT. */
  readonly security?: KafkaSecurityConfig;
}

function tlsOptions(ssl: NonNullable<KafkaSecurityConfig['ssl']>): ConnectionOptions {
  return {
    ...(ssl.truststore ? { ca: loadTrustStore(ssl.truststore, 'client.ssl.truststore') } : {}),
    ...(ssl.keystore ? loadKeyStore(ssl.keystore, 'client.ssl.keystore') : {}),
    ...(ssl.verifyHostname ? {} : { checkServerIdentity: () => undefined }),
  };
}

function saslOptions(sasl: NonNullable<KafkaSecurityConfig['sasl']>): SASLOptions {
  const mechanism = sasl.mechanism.toLowerCase() as 'plain' | 'scram-sha-256' | 'scram-sha-512';
  return { mechanism, username: sasl.username, password: sasl.password };
}

/** kafkajs's `ssl` and `sasl` for `client.security.protocol` and its settings. */
export function securityOptions(security: KafkaSecurityConfig | undefined): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  return {
    ...(security?.ssl ? { ssl: tlsOptions(security.ssl) } : {}),
    ...(security?.sasl ? { sasl: saslOptions(security.sasl) } : {}),
  };
}

/** The producer the produce path sends with, and a way to replace it (see KafkaClient.renewProducer). */
export interface ProducerSource {
  readonly producer: Producer;
  renewProducer(timeoutMs: number): Promise<void>;
}

export class KafkaClient implements ProducerSource {
  readonly kafka: Kafka;
  producer: Producer;
  readonly admin: Admin;
  /** The producer's kafkajs cluster: the topics its metadata requests name. */
  private producerCluster: InternalCluster;
  /** The admin client's kafkajs cluster, likewise. */
  private readonly adminCluster: InternalCluster;

  constructor(options: KafkaClientOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      requestTimeout: options.requestTimeoutMs,
      logLevel: KafkaLogLevel.INFO,
      logCreator: pinoLogCreator(options.logger),
      ...securityOptions(options.security),
    });
    // Keyed records land where Java producers put them (murmur2); see pinning-partitioner.ts. Topic creation on
    // produce is left to the broker's auto.create.topics.enable, as with a Java producer.
    // Idempotent (kafkajs sends acks=-1 and retries without limit): a batch retried after a lost ack is not
    // appended twice. One request in flight per broker keeps its sequence numbers in order.
    ({ client: this.producer, cluster: this.producerCluster } = this.newProducer());
    ({ client: this.admin, cluster: this.adminCluster } = withInternalCluster(this.kafka, () => this.kafka.admin()));
    rememberAdminCluster(this.admin, this.adminCluster);
  }

  /** Whether the producer has an open connection to at least one broker (closed sockets count as gone). */
  get connected(): boolean {
    return this.producerCluster.isConnected();
  }

  /**
   * Drops a topic from the metadata requests of the producer and the admin client. Call before deleting it: the
   * producer allows topic creation (the broker's auto.create.topics.enable decides, as for a Java producer), and
   * each metadata refresh naming a deleted topic would create it again; and while the admin client still names a
   * deleted topic it looked up (e.g. its offsets), kafkajs fails every later topic creation with
   * UNKNOWN_TOPIC_OR_PARTITION.
   */
  forgetTopic(topic: string): void {
    this.producerCluster.targetTopics.delete(topic);
    this.adminCluster.targetTopics.delete(topic);
  }

  /** forgetTopic for every topic our clients name that no longer exists: deleted by another client (another node). */
  async forgetDeletedTopics(): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const named = new Set([...this.producerCluster.targetTopics, ...this.adminCluster.targetTopics]);
    for (const topic of named) if (!existing.has(topic)) this.forgetTopic(topic);
  }

  /**
   * A producer with a new producer id. After a send whose outcome is unknown (the broker died with the request in
   * flight), kafkajs's idempotent producer has not advanced its sequence number although the broker may have
   * appended the batch; its next batch — other records, same sequence — would be taken by the broker as a duplicate
   * and dropped while reported as written. Seen in the broker-kill fault test: acknowledged records missing.
   */
  async renewProducer(timeoutMs: number): Promise<void> {
    const { client: fresh, cluster } = this.newProducer();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DomainError('kafka_unavailable', `Kafka did not accept a new producer within ${timeoutMs} ms.`)), timeoutMs);
    });
    try {
      // kafkajs's own connection retries can outlast an outage by many seconds: the produce path must not wait on them.
      await Promise.race([fresh.connect(), timedOut]);
    } catch (error) {
      fresh.disconnect().catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
    const old = this.producer;
    this.producer = fresh;
    this.producerCluster = cluster;
    await old.disconnect().catch(() => undefined);
  }

  private newProducer(): { client: Producer; cluster: InternalCluster } {
    return withInternalCluster(this.kafka, () => this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
      createPartitioner: pinningPartitioner,
      // kafkajs's default is 5 minutes, during which partitions added to a topic (v3 PATCH) are unknown to it.
      metadataMaxAge: PRODUCER_METADATA_MAX_AGE_MS,
    }));
  }

  async connect(): Promise<void> {
    await Promise.all([this.admin.connect(), this.producer.connect()]);
  }

  async disconnect(): Promise<void> {
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }
}
