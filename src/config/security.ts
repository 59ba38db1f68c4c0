/**
 * TLS and SASL settings: the HTTPS listeners' stores (`ssl.*`) and how the proxy reaches Kafka (`bootstrap.servers`
 * prefixes, `client.security.protocol`, `client.sasl.*`, `client.ssl.*`), parsed and checked against each other.
 */
import { STORE_TYPES } from './key-stores.js';
import type { KeyStoreConfig, StoreType, TrustStoreConfig } from './key-stores.js';
import type { Fail } from './config-error.js';
import type { Listener } from './listeners.js';
import { InvalidValue, listOf, oneOf } from './parsers.js';
import type { Parser } from './parsers.js';
import type { SettingValues } from './settings.js';

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

const SECURITY_PROTOCOLS: readonly SecurityProtocol[] = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];
export const SASL_MECHANISMS: readonly SaslMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];
export const CLIENT_AUTHENTICATIONS: readonly ClientAuthentication[] = ['NONE', 'REQUESTED', 'REQUIRED'];

/** Empty: the protocol the `bootstrap.servers` prefixes name, else PLAINTEXT. */
export const securityProtocolParser: Parser<SecurityProtocol | undefined> = {
  allowed: `${SECURITY_PROTOCOLS.join(', ')} or empty`,
  parse: (value) => (value.trim() === '' ? undefined : oneOf(SECURITY_PROTOCOLS).parse(value)),
};

export const storeTypeParser: Parser<StoreType> = {
  allowed: 'PKCS12 or PEM',
  parse: (value) => {
    const type = (value.trim() || 'PKCS12').toUpperCase();
    if (type === 'JKS') throw new InvalidValue('JKS is not supported (Node cannot read JKS): convert the store to PKCS12 with keytool -importkeystore, or use PEM');
    if (!STORE_TYPES.includes(type as StoreType)) throw new InvalidValue(`must be PKCS12 or PEM, got '${value}'`);
    return type as StoreType;
  },
};

/** `https` checks the broker's host name; empty turns the check off. */
export const endpointIdentificationParser: Parser<boolean> = {
  allowed: 'https or empty',
  parse: (value) => oneOf(['https', ''] as const).parse(value) === 'https',
};

export interface BootstrapServer {
  readonly address: string;
  readonly protocol?: SecurityProtocol;
}

/** Confluent's `PROTOCOL://host:port` (or plain `host:port`) as kafkajs's `host:port` and the protocol it names. */
function bootstrapServer(server: string): BootstrapServer {
  const scheme = /^([A-Za-z_]+):\/\//.exec(server)?.[1];
  if (scheme === undefined) return { address: server };
  const protocol = scheme.toUpperCase() as SecurityProtocol;
  if (!SECURITY_PROTOCOLS.includes(protocol)) throw new InvalidValue(`unknown protocol ${scheme} in ${server}`);
  return { address: server.slice(scheme.length + 3), protocol };
}

export const bootstrapServersParser = listOf({ allowed: 'host:port', parse: bootstrapServer }, 'comma-separated host:port (or PROTOCOL://host:port)');

/**
 * The addresses, and the protocol they use: `client.security.protocol` when set, else the one their prefixes name
 * (PLAINTEXT without one). A prefix that disagrees with it is refused.
 */
export function resolveBootstrap(values: SettingValues, fail: Fail): { addresses: string[]; protocol: SecurityProtocol; protocolFrom: string } {
  const servers = values['bootstrap.servers'];
  const named = [...new Set(servers.flatMap((s) => (s.protocol ? [s.protocol] : [])))];
  const explicit = values['client.security.protocol'];
  const protocol = explicit ?? named[0] ?? 'PLAINTEXT';
  const conflicting = named.find((p) => p !== protocol);
  if (conflicting) fail('bootstrap.servers', `names ${conflicting}:// but the connection to Kafka uses ${protocol} (client.security.protocol)`);
  return { addresses: servers.map((s) => s.address), protocol, protocolFrom: explicit ? 'client.security.protocol' : 'bootstrap.servers' };
}

type StorePrefix = 'ssl.' | 'client.ssl.' | 'schema.registry.ssl.';

export function trustStore(values: SettingValues, prefix: StorePrefix): TrustStoreConfig | undefined {
  const location = values[`${prefix}truststore.location`];
  if (!location) return undefined;
  return { location, password: values[`${prefix}truststore.password`], type: values[`${prefix}truststore.type`] };
}

export function keyStore(values: SettingValues, prefix: StorePrefix): KeyStoreConfig | undefined {
  const location = values[`${prefix}keystore.location`];
  if (!location) return undefined;
  return { location, password: values[`${prefix}keystore.password`], keyPassword: values[`${prefix}key.password`], type: values[`${prefix}keystore.type`] };
}

export function listenerTls(values: SettingValues, listeners: readonly Listener[], fail: Fail): ListenerTlsConfig | undefined {
  const keystore = keyStore(values, 'ssl.');
  if (!keystore) {
    if (listeners.some((l) => l.protocol === 'https')) fail('listeners', 'an https:// listener needs ssl.keystore.location (and ssl.keystore.password)');
    return undefined;
  }
  const truststore = trustStore(values, 'ssl.');
  const clientAuthentication = values['ssl.client.authentication'];
  if (clientAuthentication !== 'NONE' && !truststore) {
    fail('ssl.client.authentication', `${clientAuthentication} needs ssl.truststore.location (the CAs client certificates are checked against)`);
  }
  return { keystore, clientAuthentication, ...(truststore ? { truststore } : {}) };
}

const LOGIN_MODULES: Readonly<Record<SaslMechanism, string>> = {
  PLAIN: 'org.apache.kafka.common.security.plain.PlainLoginModule',
  'SCRAM-SHA-256': 'org.apache.kafka.common.security.scram.ScramLoginModule',
  'SCRAM-SHA-512': 'org.apache.kafka.common.security.scram.ScramLoginModule',
};

/**
 * `<LoginModule> required username="u" password="p";` → its username and password. Messages never quote the
 * value: it holds the password.
 */
export function parseJaasConfig(text: string, mechanism: SaslMechanism): { username: string; password: string } {
  const match = /^\s*([\w.$]+)\s+(required|requisite|sufficient|optional)\b([\s\S]*?);?\s*$/.exec(text);
  if (!match) throw new InvalidValue('must look like: <LoginModule> required username="..." password="...";');
  if (match[1] !== LOGIN_MODULES[mechanism]) throw new InvalidValue(`SASL ${mechanism} needs ${LOGIN_MODULES[mechanism]}, got ${match[1]}`);
  const options: Record<string, string> = {};
  for (const [, key, quoted, bare] of match[3]!.matchAll(/([\w.]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s";]+))/g)) {
    options[key!] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bare!;
  }
  const { username, password } = options;
  if (!username || password === undefined) throw new InvalidValue('must set username="..." and password="..."');
  return { username, password };
}

function saslCredentials(values: SettingValues, protocol: SecurityProtocol, protocolFrom: string, fail: Fail): KafkaSecurityConfig['sasl'] {
  const mechanism = values['client.sasl.mechanism'];
  const jaas = values['client.sasl.jaas.config'];
  if (!jaas) return fail(protocolFrom, `${protocol} needs client.sasl.jaas.config`);
  try {
    return { mechanism, ...parseJaasConfig(jaas, mechanism) };
  } catch (error) {
    if (error instanceof InvalidValue) fail('client.sasl.jaas.config', error.message);
    throw error;
  }
}

export function kafkaSecurity(values: SettingValues, bootstrap: ReturnType<typeof resolveBootstrap>, fail: Fail): KafkaSecurityConfig {
  const { protocol } = bootstrap;
  const sasl = protocol.startsWith('SASL_') ? saslCredentials(values, protocol, bootstrap.protocolFrom, fail) : undefined;
  if (protocol !== 'SSL' && protocol !== 'SASL_SSL') return { protocol, ...(sasl ? { sasl } : {}) };
  const truststore = trustStore(values, 'client.ssl.');
  const keystore = keyStore(values, 'client.ssl.');
  const ssl = { verifyHostname: values['client.ssl.endpoint.identification.algorithm'], ...(truststore ? { truststore } : {}), ...(keystore ? { keystore } : {}) };
  return { protocol, ssl, ...(sasl ? { sasl } : {}) };
}
