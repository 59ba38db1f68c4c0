/**
 * A real, local, single-node Apache Kafka broker (KRaft, broker and controller in one JVM), managed by the project.
 *
 * Its jars are fetched from Maven Central through `mvn` once per version into a git-ignored cache; every start gets
 * free ports and a fresh temporary directory. Used by the test suite, by `npm start` when no cluster is configured,
 * and by `npm run kafka`.
 *
 * No broker outlives its Node process: stop() terminates it, a synchronous 'exit' hook SIGKILLs it, and a detached
 * `sh` watchdog (src/process/watchdog.ts) terminates it when Node dies without running any hook (SIGKILL, default
 * SIGINT handling, a crash).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { runChecked } from '../process/run-command.js';
import { signalQuietly, spawnWatchdog, stopWatchdog } from '../process/watchdog.js';
import { cacheDir } from '../project-paths.js';

export const DEFAULT_KAFKA_VERSION = '3.9.2';
export const DEFAULT_KAFKA_CACHE_DIR = join(cacheDir(), 'kafka');

export interface LocalBrokerOptions {
  /** Apache Kafka version (Maven artifact `org.apache.kafka:kafka_2.13`); default 3.9.2. */
  readonly version?: string;
  /** Where jars are cached, one subdirectory per version; default `kafka/` in the project's cacheDir(). */
  readonly cacheDir?: string;
  /** Merged over the generated server.properties, e.g. to enable an authorizer. */
  readonly extraServerProperties?: Readonly<Record<string, string>>;
  /** Progress and status lines (including Maven's output on the first download); default stderr. */
  readonly log?: (line: string) => void;
  /** How long the launched JVM may take to answer a metadata request; default 60 000 ms. */
  readonly startTimeoutMs?: number;
  /**
   * Listeners besides PLAINTEXT, each on a free port, e.g. `{name: 'SASL_PLAINTEXT', securityProtocol:
   * 'SASL_PLAINTEXT'}`; their settings (`listener.name.<name>.…`, keystores, JAAS) go in extraServerProperties.
   */
  readonly extraListeners?: readonly ExtraListener[];
}

export interface ExtraListener {
  readonly name: string;
  readonly securityProtocol: 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
}

export type KafkaJarOptions = Pick<LocalBrokerOptions, 'version' | 'cacheDir' | 'log'>;

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

type Log = (line: string) => void;

/** The slf4j-api version kafka_2.13 3.9.x depends on; the reload4j binding has to be from the same line. */
const SLF4J_BINDING_VERSION = '1.7.36';
const COMPLETE_MARKER = '.complete';
const LOCK_STALE_MS = 30 * 60_000;
const DEFAULT_START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 20_000;
const MAX_START_ATTEMPTS = 3;
const BROKER_JVM_OPTIONS = ['-Xms256m', '-Xmx768m', '-XX:+UseG1GC', '-Djava.awt.headless=true'];
// The storage tool lives for a second: a small heap and the C1 compiler only start it noticeably faster.
const TOOL_JVM_OPTIONS = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true'];

const defaultLog: Log = (line) => process.stderr.write(`${line}\n`);

function errnoCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function tailOf(path: string, lines: number): Promise<string> {
  try {
    const text = await readFile(path, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${path})`;
  }
}

// ------------------------------------------------------------------------------------------------- fetching the jars

function assertSafeVersion(version: string): void {
  // It becomes part of a path and of the generated pom.xml.
  if (!/^[0-9A-Za-z][0-9A-Za-z.-]*$/.test(version)) throw new Error(`not a Kafka version: ${JSON.stringify(version)}`);
}

function pomFor(version: string): string {
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.kafka-rest</groupId>
  <artifactId>local-kafka-runtime</artifactId>
  <version>${version}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${version}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>${SLF4J_BINDING_VERSION}</version></dependency>
  </dependencies>
</project>
`;
}

async function isCompleteLibsDir(libsDir: string): Promise<boolean> {
  return pathExists(join(libsDir, COMPLETE_MARKER));
}

/** Runs a command, forwarding each output line to `log`; rejects with the last lines when it fails. */
export interface LockFile {
  readonly path: string;
  release(): Promise<void>;
}

async function isStaleLock(path: string): Promise<boolean> {
  try {
    const [content, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    const pid = Number.parseInt(content, 10);
    return !Number.isInteger(pid) || !isAlive(pid) || Date.now() - info.mtimeMs > LOCK_STALE_MS;
  } catch {
    return false; // released meanwhile: just try again
  }
}

/**
 * An exclusive lock file holding our pid, taken over when its owner died. Taking over a stale lock can race with
 * another waiter; that only costs a duplicate download, because the jars are published by an atomic rename.
 */
export async function acquireLock(path: string, log: Log): Promise<LockFile> {
  let announced = false;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return { path, release: () => rm(path, { force: true }) };
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error;
    }
    if (await isStaleLock(path)) {
      await rm(path, { force: true });
      continue;
    }
    if (!announced) log(`waiting for another process that is fetching Kafka (lock ${path})`);
    announced = true;
    await sleep(500);
  }
}

async function removeAbandonedDownloads(versionDir: string): Promise<void> {
  for (const name of await readdir(versionDir)) {
    if (name.startsWith('.download-')) await rm(join(versionDir, name), { recursive: true, force: true });
  }
}

/** Moves a finished download into place, unless a complete copy got there first. */
async function publishLibs(downloadedLibs: string, libsDir: string): Promise<void> {
  if (await isCompleteLibsDir(libsDir)) return;
  await rm(libsDir, { recursive: true, force: true }); // an incomplete copy from an older layout
  await rename(downloadedLibs, libsDir);
}

async function downloadJars(version: string, versionDir: string, libsDir: string, log: Log): Promise<void> {
  const workDir = await mkdtemp(join(versionDir, `.download-${process.pid}-`));
  try {
    const pom = join(workDir, 'pom.xml');
    const downloadedLibs = join(workDir, 'libs');
    await writeFile(pom, pomFor(version));
    log(`fetching Apache Kafka ${version} from Maven Central with mvn (first run only) into ${libsDir}`);
    const args = ['-B', '-ntp', '-Dstyle.color=never', '-f', pom, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${downloadedLibs}`];
    // The first download of Kafka's ~100 jars can take a while on a slow link. Maven's line per jar is left out
    // (the line below sums them up); its warnings and errors are passed on, and a failure shows its last lines.
    const problems = (line: string): void => (/^\[(WARNING|ERROR)\]/.test(line) ? log(`mvn: ${line}`) : undefined);
    await runChecked('mvn', args, { cwd: workDir, log: problems, timeoutMs: 30 * 60_000 });
    const jars = (await readdir(downloadedLibs)).filter((name) => name.endsWith('.jar'));
    if (!jars.includes(`kafka_2.13-${version}.jar`)) throw new Error(`mvn did not produce kafka_2.13-${version}.jar`);
    await writeFile(join(downloadedLibs, COMPLETE_MARKER), `${JSON.stringify({ version, jars: jars.length, at: new Date().toISOString() })}\n`);
    await publishLibs(downloadedLibs, libsDir);
    log(`Apache Kafka ${version} is cached (${jars.length} jars)`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * The directory holding Kafka's runtime classpath, fetched on first use. A download happens in a private temporary
 * directory and is renamed into place with its completion marker, so an interrupted or concurrent download never
 * leaves a half-filled cache behind; a lock file keeps concurrent callers from downloading twice.
 */
export async function ensureKafkaJars(options: KafkaJarOptions = {}): Promise<string> {
  const version = options.version ?? DEFAULT_KAFKA_VERSION;
  assertSafeVersion(version);
  const log = options.log ?? defaultLog;
  const versionDir = join(options.cacheDir ?? DEFAULT_KAFKA_CACHE_DIR, version);
  const libsDir = join(versionDir, 'libs');
  if (await isCompleteLibsDir(libsDir)) return libsDir;
  await mkdir(versionDir, { recursive: true });
  const lock = await acquireLock(join(versionDir, '.lock'), log);
  try {
    if (await isCompleteLibsDir(libsDir)) return libsDir;
    await removeAbandonedDownloads(versionDir);
    await downloadJars(version, versionDir, libsDir, log);
    return libsDir;
  } finally {
    await lock.release();
  }
}

// ------------------------------------------------------------------------------------------- configuring a broker

interface BrokerFiles {
  readonly dir: string;
  readonly serverProperties: string;
  readonly log4jProperties: string;
  readonly serverLog: string;
  /** The JVM's stdout and stderr (WARN and above, plus anything printed before log4j is up). */
  readonly consoleLog: string;
}

interface Ports {
  readonly broker: number;
  readonly controller: number;
  /** One per extra listener, in order. */
  readonly extra: readonly number[];
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('no TCP address'));
      else resolve(address.port);
    });
  });
}

/** Distinct ports the OS just considered free; the broker may still lose one to a race (see the retry). */
async function pickFreePorts(extraCount: number): Promise<Ports> {
  const servers = Array.from({ length: 2 + extraCount }, () => createServer());
  try {
    const [broker, controller, ...extra] = await Promise.all(servers.map(listen));
    if (broker === undefined || controller === undefined) throw new Error('no free ports');
    return { broker, controller, extra };
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

function escapePropertiesValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/^\s/, (space) => `\\${space}`);
}

function serverPropertiesText(files: BrokerFiles, ports: Ports, extra: Readonly<Record<string, string>>, extraListeners: readonly ExtraListener[]): string {
  const more = extraListeners.map((listener, i) => ({ ...listener, address: `${listener.name}://127.0.0.1:${ports.extra[i]}` }));
  const properties: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@127.0.0.1:${ports.controller}`,
    listeners: [`PLAINTEXT://127.0.0.1:${ports.broker}`, `CONTROLLER://127.0.0.1:${ports.controller}`, ...more.map((l) => l.address)].join(','),
    'advertised.listeners': [`PLAINTEXT://127.0.0.1:${ports.broker}`, ...more.map((l) => l.address)].join(','),
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': ['PLAINTEXT:PLAINTEXT', 'CONTROLLER:PLAINTEXT', ...more.map((l) => `${l.name}:${l.securityProtocol}`)].join(','),
    'log.dirs': join(files.dir, 'data'),
    'num.partitions': '1',
    'auto.create.topics.enable': 'true',
    'offsets.topic.replication.factor': '1',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    // Otherwise every new consumer group waits 3 s for its first assignment.
    'group.initial.rebalance.delay.ms': '0',
    ...extra,
  };
  return Object.entries(properties)
    .map(([key, value]) => `${key}=${escapePropertiesValue(value)}\n`)
    .join('');
}

function log4jPropertiesText(files: BrokerFiles): string {
  return [
    'log4j.rootLogger=INFO, file, console',
    'log4j.appender.file=org.apache.log4j.FileAppender',
    `log4j.appender.file.File=${escapePropertiesValue(files.serverLog)}`,
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.appender.console=org.apache.log4j.ConsoleAppender',
    'log4j.appender.console.Target=System.err',
    'log4j.appender.console.Threshold=WARN',
    'log4j.appender.console.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.console.layout.ConversionPattern=[%d] %p %m (%c)%n',
    '',
  ].join('\n');
}

async function writeBrokerFiles(dir: string, ports: Ports, options: LocalBrokerOptions): Promise<BrokerFiles> {
  const files: BrokerFiles = {
    dir,
    serverProperties: join(dir, 'server.properties'),
    log4jProperties: join(dir, 'log4j.properties'),
    serverLog: join(dir, 'server.log'),
    consoleLog: join(dir, 'console.log'),
  };
  await writeFile(files.serverProperties, serverPropertiesText(files, ports, options.extraServerProperties ?? {}, options.extraListeners ?? []));
  await writeFile(files.log4jProperties, log4jPropertiesText(files));
  return files;
}

async function logTails(files: BrokerFiles): Promise<string> {
  return `--- ${files.serverLog} (tail)\n${await tailOf(files.serverLog, 40)}\n--- ${files.consoleLog} (tail)\n${await tailOf(files.consoleLog, 15)}`;
}

// ------------------------------------------------------------------------------------------------ running the JVM

export function javaBinary(): string {
  return process.env['JAVA_HOME'] ? join(process.env['JAVA_HOME'], 'bin', 'java') : 'java';
}

function classpathArgs(libsDir: string, files: BrokerFiles): string[] {
  // The JVM expands `dir/*` itself; no shell is involved.
  return ['-cp', join(libsDir, '*'), `-Dlog4j.configuration=file:${files.log4jProperties}`];
}

/** Runs kafka.tools.StorageTool to completion and returns its stdout. */
async function runStorageTool(libsDir: string, files: BrokerFiles, args: readonly string[]): Promise<string> {
  const toolArgs = [...TOOL_JVM_OPTIONS, ...classpathArgs(libsDir, files), 'kafka.tools.StorageTool', ...args];
  return (await runChecked(javaBinary(), toolArgs, { cwd: files.dir, timeoutMs: 120_000 })).stdout;
}

async function formatStorage(libsDir: string, files: BrokerFiles): Promise<void> {
  const generatedId = (await runStorageTool(libsDir, files, ['random-uuid'])).trim();
  if (!/^[A-Za-z0-9_-]{22}$/.test(generatedId)) throw new Error(`unexpected output of random-uuid: ${generatedId}`);
  await runStorageTool(libsDir, files, ['format', '-t', generatedId, '-c', files.serverProperties]);
}

/** Raised when the JVM exits while starting; `portTaken` tells a lost port race from a real failure. */
class BrokerExitedError extends Error {
  constructor(
    message: string,
    readonly portTaken: boolean,
  ) {
    super(message);
    this.name = 'BrokerExitedError';
  }
}

/** The broker JVM, its watchdog and its directory, with every way of tearing them down. */
class BrokerProcess {
  private readonly exited: Promise<void>;
  private hasExited = false;
  private shutdownPromise: Promise<void> | undefined;
  private readonly killOnNodeExit = (): void => this.killNow();

  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    private readonly watchdog: ChildProcess,
    readonly files: BrokerFiles,
    exited: Promise<void>,
  ) {
    this.exited = exited.then(() => {
      this.hasExited = true;
    });
    process.on('exit', this.killOnNodeExit);
  }

  /**
   * The JVM runs in its own process group, so a Ctrl-C in the terminal reaches only Node, which decides when to
   * stop the broker; its output goes to a file rather than a pipe, so it never depends on Node reading it. It is
   * unref'd: a forgotten broker does not keep Node alive, and the 'exit' hook then kills it.
   */
  static async launch(libsDir: string, files: BrokerFiles): Promise<BrokerProcess> {
    const output = openSync(files.consoleLog, 'a');
    let child: ChildProcess;
    try {
      const args = [...BROKER_JVM_OPTIONS, ...classpathArgs(libsDir, files), 'kafka.Kafka', files.serverProperties];
      child = spawn(javaBinary(), args, { cwd: files.dir, detached: true, stdio: ['ignore', output, output] });
    } finally {
      closeSync(output);
    }
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    if (child.pid === undefined) {
      const error = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw new Error(`cannot run java: ${error.message}`);
    }
    child.unref();
    return new BrokerProcess(child, child.pid, spawnWatchdog(child.pid, files.dir, 'local-kafka-watchdog'), files, exited);
  }

  get isRunning(): boolean {
    return !this.hasExited;
  }

  async exitedError(): Promise<BrokerExitedError> {
    const tails = await logTails(this.files);
    const reason = this.child.exitCode ?? this.child.signalCode;
    const portTaken = /BindException|Address already in use/.test(tails);
    return new BrokerExitedError(`Kafka exited while starting (${reason}):\n${tails}`, portTaken);
  }

  shutdown(log: Log): Promise<void> {
    this.shutdownPromise ??= this.terminate(log);
    return this.shutdownPromise;
  }

  private async terminate(log: Log): Promise<void> {
    if (!this.hasExited) {
      signalQuietly(this.pid, 'SIGTERM');
      if (!(await this.waitForExit(STOP_GRACE_MS))) {
        log(`Kafka (pid ${this.pid}) did not stop within ${STOP_GRACE_MS} ms of SIGTERM: killing it`);
        signalQuietly(this.pid, 'SIGKILL');
        await this.exited;
      }
    }
    this.stopWatchdog();
    process.off('exit', this.killOnNodeExit);
    await rm(this.files.dir, { recursive: true, force: true, maxRetries: 3 });
  }

  private waitForExit(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      void this.exited.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** SIGKILL, leaving the directory in place (see LocalBroker.kill). */
  async kill(): Promise<void> {
    signalQuietly(this.pid, 'SIGKILL');
    await this.exited;
    this.stopWatchdog();
    process.off('exit', this.killOnNodeExit);
  }

  private stopWatchdog(): void {
    stopWatchdog(this.watchdog);
  }

  /**
   * Only synchronous calls: this runs in process.on('exit'). The watchdog is left alone: once Node is gone it
   * deletes the directory again, in case the dying JVM still wrote to it after rmSync.
   */
  private killNow(): void {
    if (!this.hasExited) signalQuietly(this.pid, 'SIGKILL');
    rmSync(this.files.dir, { recursive: true, force: true });
  }
}

/** Polls with kafkajs until the broker answers DescribeCluster; returns the cluster id it reports. */
async function waitUntilReady(bootstrapServers: string, broker: BrokerProcess, timeoutMs: number): Promise<string> {
  const kafka = new Kafka({
    clientId: 'local-broker-probe',
    brokers: [bootstrapServers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no attempt yet';
  while (Date.now() < deadline) {
    if (!broker.isRunning) throw await broker.exitedError();
    const admin = kafka.admin({ retry: { retries: 0 } });
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0) return cluster.clusterId;
    } catch (error) {
      lastError = errorMessage(error);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await sleep(200);
  }
  throw new Error(`Kafka did not answer within ${timeoutMs} ms (last error: ${lastError}):\n${await logTails(broker.files)}`);
}

// ----------------------------------------------------------------------------------------------- starting a broker

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
  const ports = await pickFreePorts(extraListeners.length);
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
