/**
 * The few kafkajs 2.2.4 internals the proxy relies on where the public API falls short (group-less fetches,
 * cluster-wide broker configs). kafkajs 2.2.4 is its last release, which makes pinning them acceptable; loading
 * any other version fails loudly here instead of misbehaving later.
 *  - index.js: the client's private cluster factory (Symbol 'private:Kafka:createCluster'), so a Cluster gets the
 *    client's brokers, TLS, SASL, client id, timeouts, retry and logger;
 *  - cluster/index.js: connect, disconnect, refreshMetadata, isConnected, findBroker, findControllerBroker, targetTopics (the
 *    topics a client's metadata requests name); cluster/brokerPool.js: metadata;
 *  - broker/index.js: the request methods named in `InternalBroker`;
 *  - protocol/error.js: the broker error codes and which of them kafkajs retries (kafkajs-log.ts).
 */
import { createRequire } from 'node:module';
import type { Kafka } from 'kafkajs';

const PINNED_KAFKAJS_VERSION = '2.2.4';
const CREATE_CLUSTER_SYMBOL = 'private:Kafka:createCluster';

export interface ProtocolRequest {
  apiKey: number;
  apiVersion: number;
  apiName: string;
}

export interface ProtocolResponse<T> {
  decode(raw: Buffer): Promise<T>;
  parse(decoded: T): Promise<T>;
}

interface ConnectionPool {
  send<T>(protocol: { request: ProtocolRequest; response: ProtocolResponse<T>; requestTimeout?: number }): Promise<T>;
}

interface ListOffsetsResult {
  responses: { topic: string; partitions: { partition: number; offset: string }[] }[];
}

/** A config resource as kafkajs's protocol encoders take it (type: Kafka's ConfigResourceType id). */
export interface InternalConfigResource {
  type: number;
  name: string;
  configNames?: string[];
  configEntries?: { name: string; value: string }[];
}

export interface InternalConfigEntry {
  configName: string;
  configValue: string | null;
  isDefault: boolean;
  readOnly: boolean;
  isSensitive: boolean;
  configSource?: number;
  configSynonyms?: { configName: string; configValue: string | null; configSource: number }[];
}

export interface InternalBroker {
  connectionPool: ConnectionPool;
  versions: Record<number, { minVersion: number; maxVersion: number } | undefined> | null;
  listOffsets(request: {
    isolationLevel: number;
    topics: { topic: string; partitions: { partition: number; timestamp: string }[] }[];
  }): Promise<ListOffsetsResult>;
  describeConfigs(request: { resources: InternalConfigResource[]; includeSynonyms: boolean }): Promise<{
    resources: { configEntries: InternalConfigEntry[] }[];
  }>;
  alterConfigs(request: { resources: InternalConfigResource[]; validateOnly: boolean }): Promise<unknown>;
  disconnect(): Promise<void>;
}

interface TopicMetadata {
  topic: string;
  partitionMetadata: { partitionId: number; leader: number }[];
}

export interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findBroker(query: { nodeId: string }): Promise<InternalBroker>;
  findControllerBroker(): Promise<InternalBroker>;
  refreshMetadata(): Promise<void>;
  /** Whether any broker connection (or the seed broker's) is open. */
  isConnected(): boolean;
  targetTopics: Set<string>;
  brokerPool: { refreshMetadata(topics: string[]): Promise<void>; metadata: { topicMetadata: TopicMetadata[] } | null };
}

type CreateCluster = (options: {
  allowAutoTopicCreation: boolean;
  isolationLevel: number;
  metadataMaxAge: number;
  maxInFlightRequests: null;
  instrumentationEmitter: null;
}) => InternalCluster;

const requireKafkaJs = createRequire(import.meta.url);

export function assertPinnedVersion(): void {
  const { version } = requireKafkaJs('kafkajs/package.json') as { version: string };
  if (version !== PINNED_KAFKAJS_VERSION) {
    throw new Error(`the proxy relies on kafkajs ${PINNED_KAFKAJS_VERSION} internals, found ${version}`);
  }
}

/** A module under node_modules/kafkajs/. */
export function kafkajsInternal<T>(path: string): T {
  assertPinnedVersion();
  return requireKafkaJs(`kafkajs/${path}`) as T;
}

function privateClusterFactory(kafka: Kafka): { symbol: symbol; factory: CreateCluster } {
  assertPinnedVersion();
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === CREATE_CLUSTER_SYMBOL);
  const factory: unknown = symbol === undefined ? undefined : Reflect.get(kafka, symbol);
  if (symbol === undefined || typeof factory !== 'function') throw new Error('kafkajs internals changed: no private cluster factory');
  return { symbol, factory: factory as CreateCluster };
}

/** A new Cluster (its own connections) with the client's settings; never auto-creates topics. */
export function createInternalCluster(kafka: Kafka, isolationLevel: number): InternalCluster {
  return privateClusterFactory(kafka).factory({
    allowAutoTopicCreation: false, // the local broker auto-creates topics a metadata request names
    isolationLevel,
    metadataMaxAge: 300_000,
    maxInFlightRequests: null,
    instrumentationEmitter: null,
  });
}

/**
 * Runs `create` (which makes one kafkajs client, e.g. `kafka.producer()`, synchronously) and returns the client with
 * the Cluster it was built on, so its metadata targets can be reached.
 */
export function withInternalCluster<T>(kafka: Kafka, create: () => T): { client: T; cluster: InternalCluster } {
  const { symbol, factory } = privateClusterFactory(kafka);
  let cluster: InternalCluster | undefined;
  Reflect.set(kafka, symbol, (options: Parameters<CreateCluster>[0]) => (cluster = factory(options)));
  try {
    const client = create();
    if (cluster === undefined) throw new Error('kafkajs internals changed: the client made no cluster');
    return { client, cluster };
  } finally {
    Reflect.set(kafka, symbol, factory);
  }
}

const adminClusters = new WeakMap<object, InternalCluster>();

/** Remembers the Cluster an admin client was built on (see withInternalCluster), for adminClusterOf. */
export function rememberAdminCluster(admin: object, cluster: InternalCluster): void {
  adminClusters.set(admin, cluster);
}

export function adminClusterOf(admin: object): InternalCluster | undefined {
  return adminClusters.get(admin);
}
