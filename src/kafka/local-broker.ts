/**
 * A real, local, single-node Apache Kafka broker (KRaft, broker and controller in one JVM, with an authorizer),
 * managed by the project: its jars come from Maven Central (kafka-jars.ts), its configuration and ports from
 * broker-config.ts, its JVM and watchdog from broker-process.ts, its readiness from readiness.ts. Every start gets
 * a fresh temporary directory and free ports (or the broker port asked for). Used by the test suite, by
 * `npm start` when no cluster is configured, and by `npm run kafka`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pickPorts, writeBrokerFiles } from './local-broker/broker-config.js';
import type { ExtraListener } from './local-broker/broker-config.js';
import { BrokerExitedError, BrokerProcess, formatStorage } from './local-broker/broker-process.js';
import { ensureKafkaJars } from './local-broker/kafka-jars.js';
import type { KafkaJarOptions } from './local-broker/kafka-jars.js';
import { waitUntilReady } from './local-broker/readiness.js';
import { defaultLog } from './local-broker/system.js';
import type { Log } from './local-broker/system.js';

export { AUTHORIZER_PROPERTIES, PortInUseError } from './local-broker/broker-config.js';
export type { ExtraListener } from './local-broker/broker-config.js';
export { javaBinary } from './local-broker/broker-process.js';
export { acquireLock } from './local-broker/lock-file.js';
export type { LockFile } from './local-broker/lock-file.js';
export { pathExists, signalQuietly } from './local-broker/system.js';
export { DEFAULT_KAFKA_CACHE_DIR, DEFAULT_KAFKA_VERSION, ensureKafkaJars } from './local-broker/kafka-jars.js';
export type { KafkaJarOptions } from './local-broker/kafka-jars.js';

export interface LocalBrokerOptions extends KafkaJarOptions {
  /** Merged over the generated server.properties (which already has an authorizer; see AUTHORIZER_PROPERTIES). */
  readonly extraServerProperties?: Readonly<Record<string, string>>;
  /** How long the launched JVM may take to answer a metadata request; default 60 000 ms. */
  readonly startTimeoutMs?: number;
  /**
   * Listeners besides PLAINTEXT, each on a free port, e.g. `{name: 'SASL_PLAINTEXT', securityProtocol:
   * 'SASL_PLAINTEXT'}`; their settings (`listener.name.<name>.…`, keystores, JAAS) go in extraServerProperties.
   */
  readonly extraListeners?: readonly ExtraListener[];
  /** The PLAINTEXT listener's port, to keep one address across runs; default: a free port. */
  readonly port?: number;
}

export interface LocalBroker {
  /** `127.0.0.1:<port>` of the PLAINTEXT listener. */
  readonly bootstrapServers: string;
  /** `127.0.0.1:<port>` of each extra listener, by name. */
  readonly listeners: Readonly<Record<string, string>>;
  /** As reported by the running broker (DescribeCluster). */
  readonly clusterId: string;
  /** The broker JVM's pid (a new one after restart()). */
  readonly pid: number;
  /** SIGTERM, then SIGKILL after 20 s; then deletes the broker's temporary directory. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILLs the JVM, as a crash would: no clean shutdown. Its ports and data directory are kept for restart(). */
  kill(): Promise<void>;
  /** Starts a killed broker again on the same ports and data directory; resolves once it answers requests. */
  restart(): Promise<void>;
}

const DEFAULT_START_TIMEOUT_MS = 60_000;
const MAX_START_ATTEMPTS = 3;

/** A started broker; kill() and restart() replace its JVM, keeping its ports, directory and cluster. */
class RestartableBroker implements LocalBroker {
  private restarting: Promise<void> | undefined;

  constructor(
    readonly bootstrapServers: string,
    readonly listeners: Readonly<Record<string, string>>,
    readonly clusterId: string,
    private current: BrokerProcess,
    private readonly libsDir: string,
    private readonly options: LocalBrokerOptions,
    private readonly log: Log,
  ) {}

  get pid(): number {
    return this.current.pid;
  }

  async stop(): Promise<void> {
    await this.restarting?.catch(() => undefined);
    await this.current.shutdown(this.log);
  }

  kill(): Promise<void> {
    return this.current.kill();
  }

  restart(): Promise<void> {
    if (this.current.isRunning) return Promise.reject(new Error(`Kafka (pid ${this.current.pid}) is still running: kill() it first`));
    this.restarting = this.relaunch();
    return this.restarting;
  }

  private async relaunch(): Promise<void> {
    const started = Date.now();
    this.current = await BrokerProcess.launch(this.libsDir, this.current.files);
    await waitUntilReady(this.bootstrapServers, this.current, this.options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
    this.log(`Kafka restarted at ${this.bootstrapServers} (pid ${this.current.pid}) after ${Date.now() - started} ms`);
  }
}

async function startOnce(libsDir: string, options: LocalBrokerOptions, log: Log): Promise<LocalBroker> {
  const extraListeners = options.extraListeners ?? [];
  const ports = await pickPorts(extraListeners.length, options.port);
  const dir = await mkdtemp(join(tmpdir(), 'local-kafka-'));
  let broker: BrokerProcess | undefined;
  try {
    const files = await writeBrokerFiles(dir, ports, options);
    const started = Date.now();
    await formatStorage(libsDir, files);
    broker = await BrokerProcess.launch(libsDir, files);
    const bootstrapServers = `127.0.0.1:${ports.broker}`;
    const clusterId = await waitUntilReady(bootstrapServers, broker, options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
    log(`Kafka ready at ${bootstrapServers} (cluster ${clusterId}, pid ${broker.pid}, dir ${dir}) after ${Date.now() - started} ms`);
    const listeners = Object.fromEntries(extraListeners.map((listener, i) => [listener.name, `127.0.0.1:${ports.extra[i]}`]));
    return new RestartableBroker(bootstrapServers, listeners, clusterId, broker, libsDir, options, log);
  } catch (error) {
    if (broker) await broker.shutdown(log);
    else await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Fetches Kafka if needed, starts a broker on free ports and resolves once it answers requests. */
export async function startLocalBroker(options: LocalBrokerOptions = {}): Promise<LocalBroker> {
  const log = options.log ?? defaultLog;
  const libsDir = await ensureKafkaJars(options);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(libsDir, options, log);
    } catch (error) {
      if (!(error instanceof BrokerExitedError && error.portTaken) || attempt >= MAX_START_ATTEMPTS) throw error;
      log(`a port picked for Kafka was taken meanwhile; retrying (attempt ${attempt + 1} of ${MAX_START_ATTEMPTS})`);
    }
  }
}
