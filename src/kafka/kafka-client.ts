/**
 * The process's one connection to Kafka: a kafkajs client with one shared idempotent producer (acks=all) and one
 * admin client, connected once at start and reused by every request.
 */
import type { ConnectionOptions } from 'node:tls';
import { Kafka, logLevel as KafkaLogLevel } from 'kafkajs';
import type { Admin, KafkaConfig, LogEntry, Producer, SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaSecurityConfig } from '../config/config.js';
import { loadKeyStore, loadTrustStore } from '../config/key-stores.js';
import { redactSecrets } from '../server/logger.js';
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

function pinoLogCreator(logger: Logger): () => (entry: LogEntry) => void {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...rest } = log;
      const extra = redactSecrets(rest);
      // kafkajs logs a failed request at ERROR even when it retries it and succeeds; whatever really fails
      // reaches the caller as an error response, so its own lines are warnings here.
      if (level <= KafkaLogLevel.WARN) kafkaLogger.warn(extra, message);
      else if (level === KafkaLogLevel.INFO) kafkaLogger.debug(extra, message);
      else kafkaLogger.trace(extra, message);
    };
}

export class KafkaClient {
  readonly kafka: Kafka;
  readonly producer: Producer;
  readonly admin: Admin;

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
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
      createPartitioner: pinningPartitioner,
      // kafkajs's default is 5 minutes, during which partitions added to a topic (v3 PATCH) are unknown to it.
      metadataMaxAge: PRODUCER_METADATA_MAX_AGE_MS,
    });
    this.admin = this.kafka.admin();
  }

  async connect(): Promise<void> {
    await Promise.all([this.admin.connect(), this.producer.connect()]);
  }

  async disconnect(): Promise<void> {
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }
}
