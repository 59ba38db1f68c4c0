/**
 * The peer: Strimzi Kafka Bridge, fetched from Maven Central through mvn (`io.strimzi:kafka-bridge`) and run as
 * `java -cp <libs>/* io.strimzi.kafka.bridge.Application --config-file <props>`, configured like our proxy:
 * an idempotent producer with acks=all and linger 0, against the same broker.
 *
 * BENCH_BRIDGE_VERSION picks another version; BENCH_BRIDGE_LIBS names a folder of jars to use instead of fetching
 * (e.g. the `libs/` of an unpacked bridge release).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { javaBinary } from '../../src/kafka/local-broker.js';
import { ensureClasspath } from './maven.js';
import { ChildService, freePort, waitUntil } from './processes.js';
import type { Log } from './processes.js';
import type { RunningServer } from './ours.js';

/** The last release line that runs on Java 17 (1.x needs Java 21). */
export const BRIDGE_VERSION = process.env['BENCH_BRIDGE_VERSION'] ?? '0.33.1';

export async function ensureBridgeClasspath(log: Log): Promise<string> {
  const provided = process.env['BENCH_BRIDGE_LIBS'];
  if (provided) return provided;
  return ensureClasspath(
    {
      name: 'strimzi-bridge',
      version: BRIDGE_VERSION,
      artifacts: [{ groupId: 'io.strimzi', artifactId: 'kafka-bridge', version: BRIDGE_VERSION }],
      requiredJar: `kafka-bridge-${BRIDGE_VERSION}.jar`,
    },
    log,
  );
}

function bridgeProperties(bootstrapServers: string, port: number): string {
  const properties: Record<string, string> = {
    'bridge.id': 'bench-bridge',
    'kafka.bootstrap.servers': bootstrapServers,
    // As our proxy's one kafkajs producer: idempotent, acks=all, sent as soon as possible.
    'kafka.producer.acks': 'all',
    'kafka.producer.enable.idempotence': 'true',
    'kafka.producer.linger.ms': '0',
    'kafka.consumer.auto.offset.reset': 'earliest',
    'http.host': '127.0.0.1',
    'http.port': String(port),
    'http.consumer.enabled': 'true',
    'http.producer.enabled': 'true',
    'amqp.enabled': 'false',
  };
  return Object.entries(properties)
    .map(([key, value]) => `${key}=${value}\n`)
    .join('');
}

const LOG4J2_PROPERTIES = `name = BenchBridge
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %-5p %c{1} %m%n
rootLogger.level = WARN
rootLogger.appenderRef.console.ref = STDOUT
`;

export interface BridgeLaunch {
  readonly libsDir: string;
  readonly bootstrapServers: string;
  /** Holds the generated configuration files. */
  readonly workDir: string;
  readonly logFile: string;
}

/** Starts a bridge JVM on a free port and returns at once, before it listens. */
export async function spawnBridge(launch: BridgeLaunch): Promise<RunningServer> {
  const port = await freePort();
  const config = join(launch.workDir, `bridge-${port}.properties`);
  const log4j2 = join(launch.workDir, 'bridge-log4j2.properties');
  await writeFile(config, bridgeProperties(launch.bootstrapServers, port));
  await writeFile(log4j2, LOG4J2_PROPERTIES);
  const args = [
    '-Xms256m',
    '-Xmx1g',
    `-Dlog4j2.configurationFile=file:${log4j2}`,
    '-cp',
    join(launch.libsDir, '*'),
    'io.strimzi.kafka.bridge.Application',
    '--config-file',
    config,
  ];
  const spawnedAt = performance.now();
  const service = await ChildService.start('bridge', javaBinary(), args, { cwd: launch.workDir, logFile: launch.logFile });
  return { baseUrl: `http://127.0.0.1:${port}`, service, spawnedAt };
}

/** Starts the bridge and waits until it answers /ready. */
export async function startBridge(launch: BridgeLaunch): Promise<RunningServer> {
  const server = await spawnBridge(launch);
  try {
    await waitUntil('the bridge to become ready', async () => (await fetch(`${server.baseUrl}/ready`)).ok, { timeoutMs: 60_000, service: server.service });
  } catch (error) {
    await server.service.stop();
    throw error;
  }
  return server;
}
