/**
 * The proxy's configuration, layered: defaults → optional properties file → environment (`KAFKA_REST_*`) →
 * command-line flags. Keys are the property names Confluent users know (`bootstrap.servers`, `listeners`, ...).
 */
import { readFileSync } from 'node:fs';
import { getProperties } from 'properties-file';
import { ConfigError, positiveInteger } from './config-values.js';
import type { RawConfig } from './config-values.js';
import { DEPLOYMENT_DEFAULTS, deploymentConfig } from './deployment-config.js';
import type { DeploymentConfig } from './deployment-config.js';
import { STORE_TYPES } from './key-stores.js';
import type { KeyStoreConfig, StoreType, TrustStoreConfig } from './key-stores.js';

export { ConfigError } from './config-values.js';

export interface Listener {
  readonly protocol: 'http' | 'https';
  readonly host: string;
  readonly port: number;
}

export type ClientAuthentication = 'NONE' | 'REQUESTED' | 'REQUIRED';

/** The HTTPS listeners' certificate (`ssl.keystore.*`) and client-certificate checks (`ssl.truststore.*`). */
export interface ListenerTlsConfig {
  readonly keystore: KeyStoreConfig;
  readonly truststore?: TrustStoreConfig;
  readonly clientAuthentication: ClientAuthentication;
}

export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

/** How the proxy connects to Kafka (`client.security.protocol`, `client.sasl.*`, `client.ssl.*`). */
export interface KafkaSecurityConfig {
  readonly protocol: SecurityProtocol;
  readonly sasl?: { readonly mechanism: SaslMechanism; readonly username: string; readonly password: string };
  readonly ssl?: {
    readonly truststore?: TrustStoreConfig;
    readonly keystore?: KeyStoreConfig;
    /** `client.ssl.endpoint.identification.algorithm`: `https` (default) checks the broker's host name. */
    readonly verifyHostname: boolean;
  };
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
  /** Set when `ssl.keystore.location` is: needed by https:// listeners. */
  readonly tls?: ListenerTlsConfig;
  readonly kafkaSecurity: KafkaSecurityConfig;
  /** How this node finds the other nodes of its deployment (docs/scaling.md). */
  readonly deployment: DeploymentConfig;
}

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
  'ssl.client.authentication': 'NONE',
  'client.sasl.mechanism': 'PLAIN',
  'client.ssl.endpoint.identification.algorithm': 'https',
  ...DEPLOYMENT_DEFAULTS,
};

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
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`listener '${text}': only http:// and https:// listeners are supported`);
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port === '' ? (protocol === 'https' ? 443 : 80) : Number(url.port);
  return { protocol, host: url.hostname.replace(/^\[|\]$/g, ''), port };
}

const SECURITY_PROTOCOLS: readonly SecurityProtocol[] = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];
const SASL_MECHANISMS: readonly SaslMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];

function oneOf<T extends string>(raw: RawConfig, key: string, allowed: readonly T[]): T {
  const value = (raw[key] ?? '').trim().toUpperCase();
  if (!allowed.includes(value as T)) throw new ConfigError(`${key} must be one of ${allowed.join(', ')}, got '${raw[key]}'`);
  return value as T;
}

/** Confluent's `PROTOCOL://host:port` (or plain `host:port`) as kafkajs's `host:port` and the protocol it names. */
function bootstrapAddress(server: string): { address: string; protocol?: SecurityProtocol } {
  const scheme = /^([A-Za-z_]+):\/\//.exec(server)?.[1];
  if (scheme === undefined) return { address: server };
  const protocol = scheme.toUpperCase() as SecurityProtocol;
  if (!SECURITY_PROTOCOLS.includes(protocol)) throw new ConfigError(`bootstrap.servers: unknown protocol ${scheme} in ${server}`);
  return { address: server.slice(scheme.length + 3), protocol };
}

/**
 * The addresses, and the protocol they use: `client.security.protocol` when set, else the one their prefixes name
 * (PLAINTEXT without one). A prefix that disagrees with it is refused.
 */
function bootstrapServers(raw: RawConfig): { addresses: string[]; protocol: SecurityProtocol } {
  const servers = list(raw['bootstrap.servers']).map(bootstrapAddress);
  const named = [...new Set(servers.flatMap((s) => (s.protocol ? [s.protocol] : [])))];
  const explicit = raw['client.security.protocol'] ? oneOf(raw, 'client.security.protocol', SECURITY_PROTOCOLS) : undefined;
  const protocol = explicit ?? named[0] ?? 'PLAINTEXT';
  const conflicting = named.find((p) => p !== protocol);
  if (conflicting) throw new ConfigError(`bootstrap.servers names ${conflicting}:// but the connection to Kafka uses ${protocol} (client.security.protocol)`);
  return { addresses: servers.map((s) => s.address), protocol };
}

function storeType(raw: RawConfig, key: string): StoreType {
  const value = (raw[key] || 'PKCS12').trim().toUpperCase();
  if (value === 'JKS') throw new ConfigError(`${key}=JKS is not supported (Node cannot read JKS): convert the store to PKCS12 with keytool -importkeystore, or use PEM`);
  if (!STORE_TYPES.includes(value as StoreType)) throw new ConfigError(`${key} must be PKCS12 or PEM, got '${raw[key]}'`);
  return value as StoreType;
}

/** `<prefix>truststore.*`, when its location is set. */
function trustStore(raw: RawConfig, prefix: string): TrustStoreConfig | undefined {
  const location = raw[`${prefix}truststore.location`];
  if (!location) return undefined;
  return { location, password: raw[`${prefix}truststore.password`] ?? '', type: storeType(raw, `${prefix}truststore.type`) };
}

/** `<prefix>keystore.*` and `<prefix>key.password`, when the keystore's location is set. */
function keyStore(raw: RawConfig, prefix: string): KeyStoreConfig | undefined {
  const location = raw[`${prefix}keystore.location`];
  if (!location) return undefined;
  return {
    location,
    password: raw[`${prefix}keystore.password`] ?? '',
    keyPassword: raw[`${prefix}key.password`] ?? '',
    type: storeType(raw, `${prefix}keystore.type`),
  };
}

function listenerTls(raw: RawConfig, listeners: readonly Listener[]): ListenerTlsConfig | undefined {
  const keystore = keyStore(raw, 'ssl.');
  if (!keystore) {
    if (listeners.some((l) => l.protocol === 'https')) throw new ConfigError('an https:// listener needs ssl.keystore.location (and ssl.keystore.password)');
    return undefined;
  }
  const truststore = trustStore(raw, 'ssl.');
  const clientAuthentication = oneOf(raw, 'ssl.client.authentication', ['NONE', 'REQUESTED', 'REQUIRED'] as const);
  if (clientAuthentication !== 'NONE' && !truststore) throw new ConfigError(`ssl.client.authentication=${clientAuthentication} needs ssl.truststore.location (the CAs client certificates are checked against)`);
  return { keystore, clientAuthentication, ...(truststore ? { truststore } : {}) };
}

const LOGIN_MODULES: Readonly<Record<SaslMechanism, string>> = {
  PLAIN: 'org.apache.kafka.common.security.plain.PlainLoginModule',
  'SCRAM-SHA-256': 'org.apache.kafka.common.security.scram.ScramLoginModule',
  'SCRAM-SHA-512': 'org.apache.kafka.common.security.scram.ScramLoginModule',
};

/**
 * `<LoginModule> required username="u" password="p";` → its username and password. Error messages never quote the
 * value: it holds the password.
 */
export function parseJaasConfig(text: string, mechanism: SaslMechanism): { username: string; password: string } {
  const match = /^\s*([\w.$]+)\s+(required|requisite|sufficient|optional)\b([\s\S]*?);?\s*$/.exec(text);
  if (!match) throw new ConfigError('client.sasl.jaas.config must look like: <LoginModule> required username="..." password="...";');
  if (match[1] !== LOGIN_MODULES[mechanism]) throw new ConfigError(`client.sasl.jaas.config: SASL ${mechanism} needs ${LOGIN_MODULES[mechanism]}, got ${match[1]}`);
  const options: Record<string, string> = {};
  for (const [, key, quoted, bare] of match[3]!.matchAll(/([\w.]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s";]+))/g)) {
    options[key!] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bare!;
  }
  const { username, password } = options;
  if (!username || password === undefined) throw new ConfigError('client.sasl.jaas.config must set username="..." and password="..."');
  return { username, password };
}

function kafkaSecurity(raw: RawConfig, protocol: SecurityProtocol): KafkaSecurityConfig {
  const usesSasl = protocol.startsWith('SASL_');
  const usesSsl = protocol === 'SSL' || protocol === 'SASL_SSL';
  let sasl: KafkaSecurityConfig['sasl'];
  if (usesSasl) {
    const mechanism = oneOf(raw, 'client.sasl.mechanism', SASL_MECHANISMS);
    const jaas = raw['client.sasl.jaas.config'];
    if (!jaas) throw new ConfigError(`client.security.protocol=${protocol} needs client.sasl.jaas.config`);
    sasl = { mechanism, ...parseJaasConfig(jaas, mechanism) };
  }
  if (!usesSsl) return { protocol, ...(sasl ? { sasl } : {}) };
  const truststore = trustStore(raw, 'client.ssl.');
  const keystore = keyStore(raw, 'client.ssl.');
  const algorithm = (raw['client.ssl.endpoint.identification.algorithm'] ?? '').trim().toLowerCase();
  if (algorithm !== '' && algorithm !== 'https') throw new ConfigError(`client.ssl.endpoint.identification.algorithm must be https or empty, got '${algorithm}'`);
  const ssl = { verifyHostname: algorithm === 'https', ...(truststore ? { truststore } : {}), ...(keystore ? { keystore } : {}) };
  return { protocol, ssl, ...(sasl ? { sasl } : {}) };
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
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
  const bootstrap = bootstrapServers(raw);
  const tls = listenerTls(raw, listeners);
  return {
    bootstrapServers: bootstrap.addresses,
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
    kafkaSecurity: kafkaSecurity(raw, bootstrap.protocol),
    deployment: deploymentConfig(raw),
    ...(tls ? { tls } : {}),
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
