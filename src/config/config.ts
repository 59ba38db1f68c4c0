/**
 * The proxy's configuration, layered: defaults → optional properties file → environment (`KAFKA_REST_*`) →
 * command-line flags. Keys are the property names Confluent users know (`bootstrap.servers`, `listeners`, ...).
 */
import { readFileSync } from 'node:fs';
import { getProperties } from 'properties-file';

export interface Listener {
  readonly protocol: 'http';
  readonly host: string;
  readonly port: number;
}

export interface ProxyConfig {
  /** Empty: no cluster configured, so `npm start` runs a local broker. */
  readonly bootstrapServers: readonly string[];
  readonly listeners: readonly Listener[];
  /** Base URLs used in links (`self`, `related`, `base_uri`); empty: built from each request's Host. */
  readonly advertisedListeners: readonly string[];
  readonly id: string;
  readonly clientId: string;
  readonly upstashPrefix: string;
  readonly logLevel: string;
  readonly requestMaxBytes: number;
  /** The longest a client may take to send a request's headers (408, connection closed). */
  readonly requestHeadersTimeoutMs: number;
  /** The longest a client may take to send a whole (buffered, not streamed) request body. */
  readonly requestBodyTimeoutMs: number;
  /** The longest silence between two chunks of any request body, streamed v3 produce included. */
  readonly requestBodyIdleTimeoutMs: number;
  /** Records one Upstash or v2 produce request may hold. */
  readonly produceRequestMaxRecords: number;
  readonly shutdownGracefulMs: number;
  readonly kafkaRequestTimeoutMs: number;
  readonly produceAckTimeoutMs: number;
  readonly consumerInstanceTimeoutMs: number;
  readonly consumerInstancesMax: number;
  readonly consumerInstancesMaxPerUser: number;
  readonly consumerRequestTimeoutMs: number;
  /** The longest a consume or stateless read waits for records, whatever timeout the request asks for. */
  readonly consumerRequestMaxWaitMs: number;
  readonly consumerMaxPollRecords: number;
  readonly consumerMaxBufferedRecords: number;
  readonly fetchMaxRecordsPerPartition: number;
  /** Entries a v3 records:batch may hold (Confluent's api.v3.produce.batch.maximum.entries). */
  readonly v3ProduceBatchMaxEntries: number;
  /** The credentials file; empty: no authentication. */
  readonly authFile: string;
}

type RawConfig = Record<string, string>;

export const DEFAULTS: Readonly<RawConfig> = {
  'bootstrap.servers': '',
  listeners: 'http://0.0.0.0:8082',
  'advertised.listeners': '',
  id: '',
  'client.id': 'kafka-rest-ts',
  'upstash.prefix': '/upstash',
  'log.level': 'info',
  'request.max.bytes': String(64 * 1024 * 1024),
  'request.headers.timeout.ms': '30000',
  'request.body.timeout.ms': '60000',
  'request.body.idle.timeout.ms': '30000',
  'produce.request.max.records': '10000',
  'shutdown.graceful.ms': '10000',
  'kafka.request.timeout.ms': '30000',
  'produce.ack.timeout.ms': '30000',
  'consumer.instance.timeout.ms': '300000',
  'consumer.instances.max': '1000',
  'consumer.instances.max.per.user': '1000',
  'consumer.request.timeout.ms': '1000',
  'consumer.request.max.wait.ms': '300000',
  'consumer.max.poll.records': '500',
  'consumer.max.buffered.records': '2000',
  'fetch.max.records.per.partition': '500',
  'api.v3.produce.batch.maximum.entries': '10',
  'auth.file': '',
};

export class ConfigError extends Error {}

/** `KAFKA_REST_BOOTSTRAP_SERVERS` → `bootstrap.servers`; `__` → `_` and `___` → `-`, as in Confluent's images. */
export function envKeyToProperty(envKey: string): string | undefined {
  if (!envKey.startsWith('KAFKA_REST_')) return undefined;
  return envKey
    .slice('KAFKA_REST_'.length)
    .toLowerCase()
    .replace(/___/g, '\u0001')
    .replace(/__/g, '\u0002')
    .replace(/_/g, '.')
    .replace(/\u0001/g, '-')
    .replace(/\u0002/g, '_');
}

export function fromEnvironment(env: NodeJS.ProcessEnv): RawConfig {
  const raw: RawConfig = {};
  for (const [key, value] of Object.entries(env)) {
    const property = envKeyToProperty(key);
    if (property !== undefined && value !== undefined) raw[property] = value;
  }
  return raw;
}

/** `--bootstrap.servers=host:9092`, `--listeners http://0.0.0.0:8082`; a bare argument names a properties file. */
export function fromArguments(argv: readonly string[]): { flags: RawConfig; file?: string } {
  const flags: RawConfig = {};
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      file = arg;
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) {
      flags[arg.slice(2, eq)] = arg.slice(eq + 1);
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) throw new ConfigError(`flag ${arg} needs a value`);
    flags[arg.slice(2)] = next;
    i++;
  }
  return file === undefined ? { flags } : { flags, file };
}

export function parseListener(text: string): Listener {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ConfigError(`listener '${text}' is not a URL like http://0.0.0.0:8082`);
  }
  if (url.protocol !== 'http:') throw new ConfigError(`listener '${text}': only http:// listeners are supported`);
  const port = url.port === '' ? 80 : Number(url.port);
  return { protocol: 'http', host: url.hostname.replace(/^\[|\]$/g, ''), port };
}

/** `host:port`, also from Confluent's `PLAINTEXT://host:port`; TLS and SASL listeners are not supported yet. */
function plaintextAddress(server: string): string {
  const scheme = /^([A-Za-z_]+):\/\//.exec(server)?.[1];
  if (scheme === undefined) return server;
  if (scheme.toUpperCase() !== 'PLAINTEXT') throw new ConfigError(`bootstrap.servers: ${scheme} connections to Kafka are not supported yet (${server}).`);
  return server.slice(scheme.length + 3);
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function positiveInteger(raw: RawConfig, key: string): number {
  const value = Number(raw[key]);
  if (!Number.isSafeInteger(value) || value <= 0) throw new ConfigError(`${key} must be a positive integer, got '${raw[key]}'`);
  return value;
}

function prefix(raw: RawConfig, key: string): string {
  const value = (raw[key] ?? '').replace(/\/+$/, '');
  if (!/^\/[A-Za-z0-9._~\-/]+$/.test(value)) throw new ConfigError(`${key} must be a path like /upstash, got '${raw[key]}'`);
  return value;
}

function advertised(value: string | undefined): string[] {
  return list(value).map((text) => {
    try {
      return new URL(text).toString().replace(/\/+$/, '');
    } catch {
      throw new ConfigError(`advertised listener '${text}' is not a URL`);
    }
  });
}

export function toProxyConfig(raw: RawConfig): ProxyConfig {
  const listeners = list(raw['listeners']).map(parseListener);
  if (listeners.length === 0) throw new ConfigError('listeners must name at least one listener');
  return {
    bootstrapServers: list(raw['bootstrap.servers']).map(plaintextAddress),
    listeners,
    advertisedListeners: advertised(raw['advertised.listeners']),
    id: raw['id'] ?? '',
    clientId: raw['client.id'] || 'kafka-rest-ts',
    upstashPrefix: prefix(raw, 'upstash.prefix'),
    logLevel: raw['log.level'] || 'info',
    requestMaxBytes: positiveInteger(raw, 'request.max.bytes'),
    requestHeadersTimeoutMs: positiveInteger(raw, 'request.headers.timeout.ms'),
    requestBodyTimeoutMs: positiveInteger(raw, 'request.body.timeout.ms'),
    requestBodyIdleTimeoutMs: positiveInteger(raw, 'request.body.idle.timeout.ms'),
    produceRequestMaxRecords: positiveInteger(raw, 'produce.request.max.records'),
    shutdownGracefulMs: positiveInteger(raw, 'shutdown.graceful.ms'),
    kafkaRequestTimeoutMs: positiveInteger(raw, 'kafka.request.timeout.ms'),
    produceAckTimeoutMs: positiveInteger(raw, 'produce.ack.timeout.ms'),
    consumerInstanceTimeoutMs: positiveInteger(raw, 'consumer.instance.timeout.ms'),
    consumerInstancesMax: positiveInteger(raw, 'consumer.instances.max'),
    consumerInstancesMaxPerUser: positiveInteger(raw, 'consumer.instances.max.per.user'),
    consumerRequestTimeoutMs: positiveInteger(raw, 'consumer.request.timeout.ms'),
    consumerRequestMaxWaitMs: positiveInteger(raw, 'consumer.request.max.wait.ms'),
    consumerMaxPollRecords: positiveInteger(raw, 'consumer.max.poll.records'),
    consumerMaxBufferedRecords: positiveInteger(raw, 'consumer.max.buffered.records'),
    fetchMaxRecordsPerPartition: positiveInteger(raw, 'fetch.max.records.per.partition'),
    v3ProduceBatchMaxEntries: positiveInteger(raw, 'api.v3.produce.batch.maximum.entries'),
    authFile: raw['auth.file'] ?? '',
  };
}

function readPropertiesFile(path: string): RawConfig {
  try {
    return getProperties(readFileSync(path));
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
}

/** Merges the layers; the file is named by a bare argument, `--config.file`, or `KAFKA_REST_CONFIG_FILE`. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ProxyConfig {
  const { flags, file } = fromArguments(argv);
  const fromEnv = fromEnvironment(env);
  const path = file ?? flags['config.file'] ?? fromEnv['config.file'];
  const fromFile = path ? readPropertiesFile(path) : {};
  return toProxyConfig({ ...DEFAULTS, ...fromFile, ...fromEnv, ...flags });
}
