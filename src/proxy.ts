/**
 * The composition root: Kafka client → adapters → core services → handlers → Koa app → listeners.
 * `startProxy` is what `npm start` and the integration tests both run.
 */
// First: it must be in place before kafkajs loads.
import './kafka/kafkajs-linear-grouping.js';
import { readFileSync } from 'node:fs';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { Document } from 'openapi-backend';
import type { Dialect } from '../generated/operations.js';
import { credentialsAuthenticator, OPEN_AUTHENTICATOR } from './auth/authenticator.js';
import type { Authenticator } from './auth/authenticator.js';
import { UsersFile } from './auth/users-file.js';
import type { ProxyConfig } from './config/config.js';
import { ClusterService } from './core/cluster-service.js';
import type { Services } from './core/services.js';
import { AclService } from './core/acl-service.js';
import { ConfigService } from './core/config-service.js';
import { ConsumerGroupService } from './core/consumer-group-service.js';
import { ConsumerRegistry } from './core/consumer-registry.js';
import { createDeployment } from './deployment.js';
import { FetchService } from './core/fetch-service.js';
import type { PartitionReaderPort } from './core/model.js';
import { OffsetService } from './core/offset-service.js';
import { ProduceService } from './core/produce-service.js';
import { SchemaService } from './core/schemas/schema-service.js';
import { TopicService } from './core/topic-service.js';
import { buildReferencePage } from './docs/reference-page.js';
import { createHandlers } from './handlers/index.js';
import { KafkaClusterAdmin } from './kafka/cluster-admin.js';
import { ClusterConfigClient } from './kafka/cluster-config-client.js';
import { KafkaAclAdmin } from './kafka/acl-admin.js';
import { KafkaGroupAdmin } from './kafka/group-admin.js';
import { KafkaGroupConsumerFactory } from './kafka/group-consumer.js';
import { GroupCoordinatorClient } from './kafka/group-coordinator.js';
import { KafkaClient } from './kafka/kafka-client.js';
import { PartitionReader } from './kafka/partition-reader.js';
import { KafkaRecordProducer } from './kafka/record-producer.js';
import { TopicMetadataCache } from './kafka/topic-metadata-cache.js';
import { ProxyMetrics } from './metrics/proxy-metrics.js';
import { HttpSchemaRegistry } from './schema-registry/http-schema-registry.js';
import { BUNDLED_SPEC_PATH } from './project-paths.js';
import { createApp } from './server/app.js';
import { redactSecrets } from './server/logger.js';
import { closeListeners, InFlightTracker, openConfiguredListeners } from './server/http-listeners.js';
import type { OpenListeners } from './server/http-listeners.js';

export interface RunningProxy {
  /** One URL per listener, with the real port. */
  readonly urls: readonly string[];
  /** Stops accepting, finishes in-flight requests, disconnects from Kafka. Idempotent. */
  stop(): Promise<void>;
  /** Re-reads `auth.file` now (SIGHUP); it is also re-read whenever it changes. */
  reloadCredentials(): void;
}

export function loadBundledSpec(): Document & Record<string, unknown> {
  return JSON.parse(readFileSync(BUNDLED_SPEC_PATH, 'utf8')) as Document & Record<string, unknown>;
}

/** Confluent's consumer.request.max.bytes: the most key and value bytes one consume answer holds. */
const CONSUMER_REQUEST_MAX_BYTES = 64 * 1024 * 1024;

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

function readerPort(reader: PartitionReader): PartitionReaderPort {
  return {
    read: async (requests, options) =>
      (await reader.read(requests, options)).map((records) => records.map(({ timestamp, ...rest }) => ({ ...rest, timestampMs: timestamp }))),
    readRecords: (requests, options) => reader.readRecords(requests, options),
  };
}

interface Authentication {
  readonly authenticator: Authenticator;
  readonly usersFile?: UsersFile;
}

function authenticationFor(config: ProxyConfig, logger: Logger): Authentication {
  if (!config.authFile) {
    logger.warn('auth.file (KAFKA_REST_AUTH_FILE) is not set: every request is let in without credentials');
    return { authenticator: OPEN_AUTHENTICATOR };
  }
  const usersFile = UsersFile.open(config.authFile, logger);
  return { authenticator: credentialsAuthenticator(() => usersFile.credentials), usersFile };
}

/** The first connection to Kafka failed: where to, over what, and why, in one line. */
export class KafkaConnectionError extends Error {}

function timeLimit(ms: number): { expired: Promise<never>; clear: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms (kafka.request.timeout.ms)`)), ms);
  });
  return { expired, clear: () => clearTimeout(timer) };
}

/** The innermost cause: what kafkajs saw (`Connection error: connect ECONNREFUSED …`), without the layers' repeats. */
function rootCause(error: unknown): string {
  let inner = error;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  return inner instanceof Error ? inner.message : String(inner);
}

/** A failed first connection (unreachable, TLS or SASL refused) says where to and how it was tried. */
async function connectToKafka(kafka: KafkaClient, reader: PartitionReader, config: ProxyConfig): Promise<void> {
  const limit = timeLimit(config.kafkaRequestTimeoutMs);
  try {
    await Promise.race([Promise.all([kafka.connect(), reader.connect()]), limit.expired]);
  } catch (error) {
    await Promise.allSettled([reader.disconnect(), kafka.disconnect()]);
    const how = config.kafkaSecurity.protocol + (config.kafkaSecurity.sasl ? ` with SASL ${config.kafkaSecurity.sasl.mechanism}` : '');
    throw new KafkaConnectionError(`cannot connect to Kafka at ${config.bootstrapServers.join(',')} (bootstrap.servers) over ${how}: ${rootCause(error)}`, { cause: error });
  } finally {
    limit.clear();
  }
}

export interface ProxyHooks {
  /** Koa middleware run around every request after the proxy's own (tests use it to check responses against the spec). */
  readonly middleware?: readonly Koa.Middleware[];
  /** Listeners already bound (see `openConfiguredListeners`); without them, startProxy binds its own first. */
  readonly listeners?: OpenListeners;
}

export async function startProxy(config: ProxyConfig, logger: Logger, hooks: ProxyHooks = {}): Promise<RunningProxy> {
  if (config.bootstrapServers.length === 0) throw new Error('bootstrap.servers is empty');
  logger.debug({ config: redactSecrets(config) }, 'starting with this configuration');
  // Undone in reverse order when the start fails.
  const undo: (() => unknown)[] = [];
  try {
    const listeners = hooks.listeners ?? (await openConfiguredListeners(config));
    undo.push(() => listeners.close());
    const auth = authenticationFor(config, logger);
    undo.push(() => auth.usersFile?.close());
    const kafka = new KafkaClient({
      brokers: config.bootstrapServers,
      clientId: config.clientId,
      requestTimeoutMs: config.kafkaRequestTimeoutMs,
      logger,
      security: config.kafkaSecurity,
    });
    const reader = new PartitionReader(kafka.kafka);
    undo.push(() => kafka.disconnect(), () => reader.disconnect());
    // Connected while the app is built below (validators, spec): both take a few hundred ms at startup.
    const connected = connectToKafka(kafka, reader, config);
    connected.catch(() => undefined); // handled: serve() awaits it after building the app
    undo.push(() => connected);
    return await serve({ config, logger, hooks, kafka, reader, auth, listeners }, connected);
  } catch (error) {
    for (const step of undo.reverse()) await Promise.resolve().then(step).catch(() => undefined);
    throw error;
  }
}

interface Clients {
  readonly config: ProxyConfig;
  readonly logger: Logger;
  readonly hooks: ProxyHooks;
  readonly kafka: KafkaClient;
  readonly reader: PartitionReader;
  readonly auth: Authentication;
  readonly listeners: OpenListeners;
}

/** Builds the services and the app, then listens once Kafka is `connected`. */
async function serve({ config, logger, hooks, kafka, reader, auth, listeners }: Clients, connected: Promise<unknown>): Promise<RunningProxy> {
  const clusterConfigs = new ClusterConfigClient(kafka.kafka);
  const topicCache = new TopicMetadataCache(kafka.admin);
  const admin = new KafkaClusterAdmin(kafka.admin, clusterConfigs, {
    forget: (topic) => {
      kafka.forgetTopic(topic);
      topicCache.forget(topic);
    },
    forgetDeleted: () => kafka.forgetDeletedTopics(),
  });
  const coordinators = new GroupCoordinatorClient(kafka.kafka);
  const groups = new KafkaGroupConsumerFactory(
    kafka.kafka,
    kafka.admin,
    { maxBufferedRecords: config.consumerMaxBufferedRecords, fetchMaxWaitMs: 500 },
    coordinators,
  );
  const offsets = new OffsetService(admin, groups);
  const deployment = createDeployment(config, kafka, logger);
  const consumers = new ConsumerRegistry(
    groups,
    {
      reader: readerPort(reader),
      offsetsAt: (point, partitions) => offsets.at(point, partitions),
      existingTopics: async (topics) => (await Promise.all(topics.map((t) => admin.describeTopic(t)))).filter((t) => t !== undefined).map((t) => t.name),
    },
    { maxInstances: config.consumerInstancesMax, maxInstancesPerUser: config.consumerInstancesMaxPerUser, idleTimeoutMs: config.consumerInstanceTimeoutMs },
    (error) => logger.warn({ err: error }, 'consumer instance background error'),
    deployment.placement,
  );
  const tracker = new InFlightTracker();
  const metrics = new ProxyMetrics({ consumerInstances: () => consumers.size, kafkaConnected: () => kafka.connected, requestsInFlight: () => tracker.active });
  const registry = config.schemaRegistry ? new HttpSchemaRegistry(config.schemaRegistry) : undefined;
  const shared = {
    cluster: new ClusterService(admin),
    topics: new TopicService(admin),
    schemas: new SchemaService(registry),
    offsets,
    groups: new ConsumerGroupService(new KafkaGroupAdmin(kafka.admin, coordinators), admin),
    configs: new ConfigService(admin),
    acls: new AclService(new KafkaAclAdmin(kafka.admin)),
  };
  const recordProducer = new KafkaRecordProducer(kafka, topicCache, config.produceAckTimeoutMs);
  // Over the same clients and registry, each dialect's produce and read services count under its own name.
  const servicesFor = (dialect: Dialect): Services => {
    const meter = metrics.traffic(dialect);
    return {
      ...shared,
      produce: new ProduceService(recordProducer, config.produceRequestMaxRecords, meter),
      fetch: new FetchService(readerPort(reader), config.fetchMaxRecordsPerPartition, config.consumerRequestMaxWaitMs, meter),
      consumers: consumers.forDialect(meter),
    };
  };
  const spec = loadBundledSpec();
  const handlers = createHandlers(
    { ops: servicesFor('ops'), v2: servicesFor('v2'), v3: servicesFor('v3'), upstash: servicesFor('upstash') },
    {
      spec,
      referencePage: lazy(() => buildReferencePage(spec)),
      metrics: async () => ({ text: await metrics.text(), contentType: metrics.contentType }),
    },
    {
      upstashConsume: {
        timeoutMs: config.consumerRequestTimeoutMs,
        maxWaitMs: config.consumerRequestMaxWaitMs,
        maxRecordsPerPoll: config.consumerMaxPollRecords,
        maxResponseBytes: CONSUMER_REQUEST_MAX_BYTES,
      },
      v2Consumer: {
        requestTimeoutMs: config.consumerRequestTimeoutMs,
        maxWaitMs: config.consumerRequestMaxWaitMs,
        maxPollRecords: config.consumerMaxPollRecords,
        maxResponseBytes: CONSUMER_REQUEST_MAX_BYTES,
      },
      v3Produce: { maxRecordBytes: config.requestMaxBytes, maxBatchEntries: config.v3ProduceBatchMaxEntries, maxInFlight: 1024 },
    },
  );
  const app = await createApp({
    spec,
    handlers,
    logger,
    upstashPrefix: config.upstashPrefix,
    advertisedListeners: config.advertisedListeners,
    requestMaxBytes: config.requestMaxBytes,
    requestBodyTimeoutMs: config.requestBodyTimeoutMs,
    requestBodyIdleTimeoutMs: config.requestBodyIdleTimeoutMs,
    authenticator: auth.authenticator,
    metrics,
    ...(config.cors ? { cors: config.cors } : {}),
    middleware: [tracker.middleware(), ...deployment.middleware, ...(hooks.middleware ?? [])],
    nodeId: deployment.nodeId,
    ...(deployment.routing ? { routing: deployment.routing } : {}),
  });
  await connected;
  listeners.serve(app);
  await deployment.start(listeners.bound.map((b) => b.url));
  let stopping: Promise<void> | undefined;
  return {
    urls: listeners.bound.map((b) => b.url),
    reloadCredentials: () => {
      if (auth.usersFile) auth.usersFile.reload('SIGHUP');
      else logger.info('SIGHUP: no auth.file to re-read');
    },
    stop: () =>
      (stopping ??= (async () => {
        auth.usersFile?.close();
        const finished = await closeListeners(listeners.bound, tracker, config.shutdownGracefulMs);
        if (!finished) logger.warn({ active: tracker.active }, 'shutdown grace period over; closing remaining connections');
        await consumers.closeAll();
        await deployment.stop();
        await coordinators.disconnect();
        await reader.disconnect();
        await clusterConfigs.disconnect();
        await kafka.disconnect();
        registry?.close();
      })()),
  };
}
