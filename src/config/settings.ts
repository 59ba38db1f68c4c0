/**
 * THE settings table: every setting the proxy reads, once. `--help`, the unknown-key check, the defaults and the
 * tables in docs/configuration.md and README.md (`npm run generate`) all come from it.
 *
 * Adding a setting is one entry: its Confluent-style property name (the environment name is derived:
 * `KAFKA_REST_` + upper case, `.` → `_`), its default as text, a one-line meaning, the parser that checks it, and
 * `field` when the value goes into ProxyConfig as is (ProxyConfig gets a typed member of that name).
 */
import { CORS_SETTINGS } from './cors-settings.js';
import { DEPLOYMENT_SETTINGS } from './deployment-settings.js';
import { SCHEMA_REGISTRY_SETTINGS } from './schema-registry-settings.js';
import { pathText, secretText, setting } from './setting.js';
import type { Setting } from './setting.js';
import type { Listener } from './listeners.js';
import { listenersParser } from './listeners.js';
import { absoluteUrl, listOf, oneOf, optionalCap, positiveInteger, text, urlPathPrefix } from './parsers.js';
import type { Parser } from './parsers.js';
import {
  bootstrapServersParser,
  CLIENT_AUTHENTICATIONS,
  endpointIdentificationParser,
  SASL_MECHANISMS,
  securityProtocolParser,
  storeTypeParser,
} from './security.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['auto', 'text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const path = pathText;
const secret = secretText;

export type { Setting } from './setting.js';

export const SETTINGS = {
  'bootstrap.servers': setting({
    default: '',
    doc: 'Kafka brokers. Empty: start a local single-node broker for this process.',
    details: "Confluent's `PLAINTEXT://`, `SSL://`, `SASL_PLAINTEXT://` and `SASL_SSL://` prefixes are accepted when they agree with `client.security.protocol` (without that key, the prefix sets the protocol). The local broker gets a temporary data directory.",
    parser: bootstrapServersParser,
  }),
  listeners: setting({
    field: 'listeners',
    default: 'http://0.0.0.0:8082',
    doc: 'Where to listen.',
    details: 'An `https://` listener needs `ssl.keystore.location` (see [TLS and SASL](#tls-and-sasl)). Ports are bound before anything else starts: a busy port stops the start at once.',
    parser: listenersParser as Parser<readonly Listener[]>,
  }),
  'advertised.listeners': setting({
    field: 'advertisedListeners',
    default: '',
    doc: 'Base URL for absolute links (v3 self/related/next, v2 base_uri, Location). Empty: each request’s own scheme and Host.',
    details: 'The first entry is used.',
    parser: listOf(absoluteUrl, 'comma-separated URLs') as Parser<readonly string[]>,
  }),
  id: setting({
    field: 'id',
    default: '',
    defaultText: 'generated',
    doc: "This node's id: sent as X-Kafka-Rest-Node on every response, and how the other nodes of its deployment name it.",
    details: 'Empty: the host name and 6 random hex digits.',
    parser: text,
  }),
  ...DEPLOYMENT_SETTINGS,
  'client.id': setting({ field: 'clientId', default: 'kafka-rest-ts', doc: "Client id of the proxy's Kafka clients (producer, admin, consumers).", parser: text }),
  'upstash.prefix': setting({
    field: 'upstashPrefix',
    default: '/upstash',
    doc: 'Mount point of the Upstash dialect.',
    details: 'A trailing `/` is dropped, and it cannot be `/`. Once you change it, `/upstash` is no longer served.',
    parser: urlPathPrefix,
  }),
  'log.level': setting({
    field: 'logLevel',
    default: 'info',
    doc: 'Least severe level logged; the "listening" line is logged at every level but silent.',
    details: 'Each request is logged at `info`, tagged with its `X-Request-Id`. kafkajs lines about retries and self-healing states are at `debug`.',
    parser: oneOf(LOG_LEVELS),
  }),
  'log.format': setting({
    field: 'logFormat',
    default: 'auto',
    doc: 'text: one readable line per entry; json: JSON lines (pino); auto: text on a terminal, json otherwise.',
    parser: oneOf(LOG_FORMATS),
  }),
  'request.max.bytes': setting({
    field: 'requestMaxBytes',
    default: String(64 * 1024 * 1024),
    doc: 'Largest request body (413 beyond).',
    details: 'For v3 streamed produce the limit applies to each record, not to the whole stream.',
    parser: positiveInteger,
  }),
  'request.headers.timeout.ms': setting({
    field: 'requestHeadersTimeoutMs',
    default: '30000',
    doc: "The longest a client may take to send a request's headers (408 and the connection is closed).",
    details: 'The dialect is not known before the request line is parsed, so this body (and that of the `400`/`431` for a request Node cannot parse) carries both envelopes: `{"error_code":408,"message":…,"error":…,"status":408}`. Checked about once a second.',
    parser: positiveInteger,
  }),
  'request.body.timeout.ms': setting({
    field: 'requestBodyTimeoutMs',
    default: '60000',
    doc: 'The longest a client may take to send a whole request body, except a v3 records stream (408).',
    details: "Beyond it: `408` in the dialect's envelope (v2/v3 `{\"error_code\":408,…}`, Upstash `{\"error\":…,\"status\":408}`), then the connection is closed.",
    parser: positiveInteger,
  }),
  'request.body.idle.timeout.ms': setting({
    field: 'requestBodyIdleTimeoutMs',
    default: '30000',
    doc: 'The longest silence between two parts of a request body, v3 records streams included (408).',
    details: "Beyond it: `408` in the dialect's envelope and the connection is closed. A v3 stream that already answered `200` gets a last report line `{\"error_code\":408,…}` instead.",
    parser: positiveInteger,
  }),
  'produce.request.max.records': setting({
    field: 'produceRequestMaxRecords',
    default: '10000',
    doc: 'Most records one Upstash or v2 produce request may hold (413 beyond, and none is produced).',
    details: 'A v3 `records` stream has no such limit (each record is bounded by `request.max.bytes`); a v3 `records:batch` is bounded by `api.v3.produce.batch.maximum.entries`.',
    parser: positiveInteger,
  }),
  'shutdown.graceful.ms': setting({
    field: 'shutdownGracefulMs',
    default: '10000',
    doc: 'On SIGTERM/SIGINT, how long in-flight requests may take to finish before connections are closed.',
    parser: positiveInteger,
  }),
  'kafka.request.timeout.ms': setting({
    field: 'kafkaRequestTimeoutMs',
    default: '30000',
    doc: 'Timeout of each request to a Kafka broker, and of the first connection at start.',
    parser: positiveInteger,
  }),
  'produce.ack.timeout.ms': setting({
    field: 'produceAckTimeoutMs',
    default: '30000',
    doc: "How long a produce waits for Kafka's acknowledgement (acks=all) before answering 503.",
    parser: positiveInteger,
  }),
  'auth.file': setting({
    field: 'authFile',
    default: '',
    doc: 'The users file for HTTP Basic auth. Without it every request is let in (a warning is logged at start).',
    details: 'Re-read when it changes and on SIGHUP; see [the users file](#the-users-file-authfile).',
    parser: path,
  }),
  'consumer.instance.timeout.ms': setting({
    field: 'consumerInstanceTimeoutMs',
    default: '300000',
    doc: 'An idle consumer instance (v2 or Upstash) is closed and leaves its group after this long.',
    details: 'Later calls get 404 (40403).',
    parser: positiveInteger,
  }),
  'consumer.instances.max': setting({
    field: 'consumerInstancesMax',
    default: '1000',
    doc: 'Most consumer instances this process hosts, v2 and Upstash together (429 beyond).',
    parser: positiveInteger,
  }),
  'consumer.instances.max.per.user': setting({
    field: 'consumerInstancesMaxPerUser',
    default: '1000',
    doc: 'Most consumer instances one user may have at once, v2 and Upstash together (429 beyond).',
    details: 'Counted by the authenticated username (all anonymous callers count as the one user `anonymous` when there is no `auth.file`). Deleting an instance, or letting it expire, frees a place.',
    parser: positiveInteger,
  }),
  'consumer.request.timeout.ms': setting({
    field: 'consumerRequestTimeoutMs',
    default: '1000',
    doc: 'Default wait of a consume or read that gives no timeout, and of a v2 instance’s records call.',
    details: 'Upstash `/consume` and `/fetch`, v3 partition `records`, and v1 `messages` (which always uses it). It is also the default `consumer.request.timeout.ms` of a v2 instance, which is the longest that instance\'s `records` call waits.',
    parser: positiveInteger,
  }),
  'consumer.request.max.wait.ms': setting({
    field: 'consumerRequestMaxWaitMs',
    default: '300000',
    doc: 'The long-poll cap: the longest any consume or read waits for records, whatever the request asks for.',
    parser: positiveInteger,
  }),
  'consumer.max.poll.records': setting({
    field: 'consumerMaxPollRecords',
    default: '',
    doc: 'Most records one Upstash /consume or v2 records call returns. Empty: no count cap.',
    details: "Unset, a call answers every record the instance has fetched, up to its byte limit (v2 `max_bytes`, at most `consumer.request.max.bytes` = 64 MiB; the same 64 MiB for Upstash), as Confluent's proxy does.",
    parser: optionalCap,
  }),
  'consumer.max.buffered.records': setting({
    field: 'consumerMaxBufferedRecords',
    default: '2000',
    doc: 'Records an instance buffers ahead of its callers before pausing its fetches.',
    parser: positiveInteger,
  }),
  'fetch.max.records.per.partition': setting({
    field: 'fetchMaxRecordsPerPartition',
    default: '500',
    doc: 'Most records a stateless read returns per partition (Upstash /fetch, v3 max_records, v1 count).',
    parser: positiveInteger,
  }),
  'api.v3.produce.batch.maximum.entries': setting({
    field: 'v3ProduceBatchMaxEntries',
    default: '10',
    doc: "Most entries a v3 records:batch may hold (Confluent's name); more answer 422/42208.",
    parser: positiveInteger,
  }),
  'config.file': setting({
    default: '',
    doc: 'A properties file with any of these settings (also: a bare argument). No effect inside a file.',
    parser: path,
  }),
  'ssl.keystore.location': setting({ default: '', doc: "The HTTPS listeners' key and certificate chain; required by an https:// listener.", parser: path }),
  'ssl.keystore.type': setting({ default: 'PKCS12', doc: 'PKCS12 or PEM (JKS is refused: convert it).', details: 'See [store types](#store-types-pkcs12-and-pem).', parser: storeTypeParser }),
  'ssl.keystore.password': setting({ default: '', doc: "The PKCS12 keystore's password (also the key's); for PEM, the key's when ssl.key.password is empty.", parser: secret }),
  'ssl.key.password': setting({ default: '', doc: 'The password of an encrypted private key in a PEM keystore.', parser: secret }),
  'ssl.truststore.location': setting({ default: '', doc: 'CA certificates client certificates are checked against; required unless ssl.client.authentication is NONE.', parser: path }),
  'ssl.truststore.type': setting({ default: 'PKCS12', doc: 'PKCS12 or PEM.', parser: storeTypeParser }),
  'ssl.truststore.password': setting({ default: '', doc: "The PKCS12 truststore's password.", parser: secret }),
  'ssl.client.authentication': setting({
    default: 'NONE',
    doc: 'Whether HTTPS clients must present a certificate: NONE, REQUESTED or REQUIRED.',
    details: 'See [client certificates](#client-certificates).',
    parser: oneOf(CLIENT_AUTHENTICATIONS),
  }),
  'client.security.protocol': setting({
    default: '',
    defaultText: 'PLAINTEXT (or the bootstrap.servers prefix)',
    doc: 'How the proxy connects to Kafka: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.',
    parser: securityProtocolParser,
  }),
  'client.sasl.mechanism': setting({ default: 'PLAIN', doc: 'PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (with SASL_*).', parser: oneOf(SASL_MECHANISMS) }),
  'client.sasl.jaas.config': setting({
    default: '',
    doc: 'Required with SASL_*: <LoginModule> required username="u" password="p"; (only username and password are used).',
    details: 'PLAIN needs `org.apache.kafka.common.security.plain.PlainLoginModule`, SCRAM `org.apache.kafka.common.security.scram.ScramLoginModule`.',
    parser: secret,
  }),
  'client.ssl.truststore.location': setting({ default: '', doc: "CAs the brokers' certificates are checked against (SSL, SASL_SSL). Empty: Node's public CAs.", parser: path }),
  'client.ssl.truststore.type': setting({ default: 'PKCS12', doc: 'PKCS12 or PEM.', parser: storeTypeParser }),
  'client.ssl.truststore.password': setting({ default: '', doc: "The PKCS12 truststore's password.", parser: secret }),
  'client.ssl.keystore.location': setting({ default: '', doc: "The proxy's own certificate, for brokers that require client certificates.", parser: path }),
  'client.ssl.keystore.type': setting({ default: 'PKCS12', doc: 'PKCS12 or PEM.', parser: storeTypeParser }),
  'client.ssl.keystore.password': setting({ default: '', doc: "The PKCS12 keystore's password (also the key's).", parser: secret }),
  'client.ssl.key.password': setting({ default: '', doc: 'The password of an encrypted private key in a PEM keystore.', parser: secret }),
  'client.ssl.endpoint.identification.algorithm': setting({
    default: 'https',
    doc: "https checks that the broker's certificate names the host it was reached at; empty turns that off.",
    parser: endpointIdentificationParser,
  }),
  ...CORS_SETTINGS,
  ...SCHEMA_REGISTRY_SETTINGS,
};

type Table = typeof SETTINGS;
export type SettingKey = keyof Table;
type ValueOf<S> = S extends Setting<infer T, string> ? T : never;
type FieldOf<S> = S extends Setting<unknown, infer F> ? F : never;

/** Every setting's parsed value, by property name. */
export type SettingValues = { readonly [K in SettingKey]: ValueOf<Table[K]> };

/** The ProxyConfig members that hold one setting's value as is (the entries with a `field`). */
export type SettingFields = { readonly [K in SettingKey as FieldOf<Table[K]>]: ValueOf<Table[K]> };

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

export function settingOf(key: SettingKey): Setting {
  return SETTINGS[key] as Setting;
}

/** Every default, as text. */
export const DEFAULTS: Readonly<Record<string, string>> = Object.fromEntries(SETTING_KEYS.map((key) => [key, settingOf(key).default]));
