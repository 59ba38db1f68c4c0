/**
 * Confluent REST Proxy settings this proxy knowingly does not use. A properties file or a Docker environment made
 * for Confluent holds them; they are reported once at start as ignored (info), not as unknown (warning). An entry
 * ending in `.` covers every key under that prefix. Settings this proxy knows are never looked up here.
 */
export interface IgnoredSetting {
  readonly key: string;
  readonly why: string;
}

const NOT_SUPPORTED = 'not supported by kafka-rest-ts';
const JAVA_ONLY = "a setting of Confluent's Java server, with no equivalent here";

export const CONFLUENT_IGNORED: readonly IgnoredSetting[] = [
  { key: 'schema.registry.', why: 'only the schema.registry.url, basic.auth.* and ssl.* settings listed by --help are used' },
  { key: 'producer.', why: "Java producer settings are not passed through (the proxy's producer is idempotent, acks=all)" },
  { key: 'consumer.', why: 'Java consumer settings are not passed through' },
  { key: 'admin.', why: 'Java admin client settings are not passed through' },
  { key: 'client.', why: 'only the client.security.*, client.sasl.* and client.ssl.* settings listed by --help are used' },
  { key: 'consumer.request.max.bytes', why: 'fixed at 64 MiB; a request’s max_bytes can lower it' },
  { key: 'consumer.threads', why: JAVA_ONLY },
  { key: 'consumer.iterator.timeout.ms', why: JAVA_ONLY },
  { key: 'consumer.iterator.backoff.ms', why: JAVA_ONLY },
  { key: 'producer.threads', why: JAVA_ONLY },
  { key: 'simpleconsumer.pool.size.max', why: JAVA_ONLY },
  { key: 'compression.enable', why: JAVA_ONLY },
  { key: 'host.name', why: 'use listeners and advertised.listeners' },
  { key: 'port', why: 'use listeners' },
  { key: 'zookeeper.connect', why: 'use bootstrap.servers' },
  { key: 'authentication.', why: 'use auth.file (HTTP Basic users with permissions on topic patterns)' },
  { key: 'confluent.', why: NOT_SUPPORTED },
  { key: 'api.v2.enable', why: 'every dialect is always served' },
  { key: 'api.v3.enable', why: 'every dialect is always served' },
  { key: 'api.endpoints.', why: 'every endpoint is always served' },
  { key: 'api.v3.produce.rate.limit.', why: 'no rate limiting' },
  { key: 'rate.limit.', why: 'no rate limiting' },
  { key: 'dos.filter.', why: JAVA_ONLY },
  { key: 'metric.reporters', why: JAVA_ONLY },
  { key: 'metrics.', why: JAVA_ONLY },
  { key: 'request.logger.name', why: JAVA_ONLY },
  { key: 'response.mediatype.', why: JAVA_ONLY },
  { key: 'kafka.rest.resource.extension.class', why: JAVA_ONLY },
  { key: 'rest.servlet.initializor.classes', why: JAVA_ONLY },
  { key: 'websocket.', why: JAVA_ONLY },
  { key: 'thread.pool.', why: JAVA_ONLY },
  { key: 'request.queue.capacity', why: JAVA_ONLY },
  { key: 'idle.timeout.ms', why: JAVA_ONLY },
  { key: 'debug', why: JAVA_ONLY },
  { key: 'ssl.', why: 'only the ssl.keystore.*, ssl.truststore.*, ssl.key.password and ssl.client.authentication settings listed by --help are used' },
  // The JVM and logging variables of Confluent's Docker image (KAFKA_REST_HEAP_OPTS, KAFKA_REST_LOG4J_ROOT_LOGLEVEL, …).
  { key: 'heap.opts', why: 'a JVM option of Confluent’s image' },
  { key: 'jvm.performance.opts', why: 'a JVM option of Confluent’s image' },
  { key: 'jmx.', why: 'a JVM option of Confluent’s image' },
  { key: 'opts', why: 'a JVM option of Confluent’s image' },
  { key: 'log4j.', why: 'use log.level' },
];

/** Why a key is ignored, when it is one of Confluent's; the exact key wins over a prefix. */
export function ignoredConfluentSetting(key: string): IgnoredSetting | undefined {
  return CONFLUENT_IGNORED.find((entry) => entry.key === key) ?? CONFLUENT_IGNORED.find((entry) => entry.key.endsWith('.') && key.startsWith(entry.key));
}
