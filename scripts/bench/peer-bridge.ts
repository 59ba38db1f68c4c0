/**
 * The peer: the Strimzi Kafka Bridge (see bridge-build.ts for where its jars and JVM come from), run as
 * `java -cp <libs>/* io.strimzi.kafka.bridge.Application --config-file <props>` and configured like our proxy: an
 * idempotent producer with acks=all and linger 0, against the same broker. Each bridge gets a free API port and a
 * free management port: since 1.0, `/ready` answers only on the management listener (501 on the API port).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BridgeRuntime } from './bridge-build.js';
import { ChildService, freePort, waitUntil } from './processes.js';
import type { RunningServer } from './ours.js';

function bridgeProperties(bootstrapServers: string, port: number, managementPort: number): string {
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
    'http.management.port': String(managementPort),
    'http.consumer.enabled': 'true',
    'http.producer.enabled': 'true',
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
  readonly runtime: BridgeRuntime;
  readonly bootstrapServers: string;
  /** Holds the generated configuration files. */
  readonly workDir: string;
  readonly logFile: string;
}

export interface RunningBridge extends RunningServer {
  /** The management listener: /ready, /healthy, /metrics. */
  readonly managementUrl: string;
}

/** Starts a bridge JVM on free ports and returns at once, before it listens. */
export async function spawnBridge(launch: BridgeLaunch): Promise<RunningBridge> {
  const port = await freePort();
  const managementPort = await freePort();
  const config = join(launch.workDir, `bridge-${port}.properties`);
  const log4j2 = join(launch.workDir, 'bridge-log4j2.properties');
  await writeFile(config, bridgeProperties(launch.bootstrapServers, port, managementPort));
  await writeFile(log4j2, LOG4J2_PROPERTIES);
  const args = [
    '-Xms256m',
    '-Xmx1g',
    `-Dlog4j2.configurationFile=file:${log4j2}`,
    '-cp',
    join(launch.runtime.libsDir, '*'),
    'io.strimzi.kafka.bridge.Application',
    '--config-file',
    config,
  ];
  const spawnedAt = performance.now();
  const service = await ChildService.start('bridge', launch.runtime.java, args, { cwd: launch.workDir, logFile: launch.logFile });
  return { baseUrl: `http://127.0.0.1:${port}`, managementUrl: `http://127.0.0.1:${managementPort}`, service, spawnedAt };
}

/** Starts the bridge and waits until its management listener answers /ready. */
export async function startBridge(launch: BridgeLaunch): Promise<RunningBridge> {
  const server = await spawnBridge(launch);
  try {
    await waitUntil('the bridge to become ready', async () => (await fetch(`${server.managementUrl}/ready`)).ok, { timeoutMs: 60_000, service: server.service });
  } catch (error) {
    await server.service.stop();
    throw error;
  }
  return server;
}
