/**
 * A real, local Schema Registry for the test suite and for development (`npm run schema-registry`): Apicurio
 * Registry (in-memory storage) with its Confluent-compatible API, which is what `url` points at.
 *
 * It listens on ports the JVM picks itself (port 0, read back from its log), so no port can be lost to a race.
 * Like the local broker, it never outlives its Node process: stop() ends it, an 'exit' hook SIGKILLs it, and a
 * detached watchdog ends it when Node dies without running any hook.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { signalQuietly, spawnWatchdog, stopWatchdog } from '../process/watchdog.js';
import { DEFAULT_REGISTRY_CACHE_DIR, ensureRegistryApp, runnableJar } from './apicurio-dist.js';
import { findJava } from './java-runtime.js';

/** Apicurio Registry 3.3 needs Java 21; 3.0 (same API) runs on Java 17, Debian 12's default. */
const VERSIONS = [
  { version: '3.3.3', java: 21 },
  { version: '3.0.9', java: 17 },
] as const;
const CCOMPAT_PATH = '/apis/ccompat/v7';
const DEFAULT_START_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 10_000;
// A small heap and the C1 compiler only: ready in a few seconds, ~250 MiB resident.
const JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xmx256m', '-Djava.awt.headless=true'];
const LISTENING = /Listening on: (https?:\/\/[^\s,]+?)\.?(?:\s|$)/;

export interface LocalRegistryOptions {
  /** One of the known versions (3.3.3, 3.0.9); default the newest the installed Java runs. */
  readonly version?: string;
  /** Where versions are cached; default `<project>/.cache/schema-registry`. */
  readonly cacheDir?: string;
  readonly log?: (line: string) => void;
  readonly startTimeoutMs?: number;
}

export interface LocalRegistry {
  /** The Confluent-compatible API's base URL: what `schema.registry.url` takes. */
  readonly url: string;
  readonly version: string;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after 10 s; then deletes its directory. Idempotent. */
  stop(): Promise<void>;
}

async function tail(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trimEnd().split('\n').slice(-30).join('\n');
  } catch {
    return `(no ${path})`;
  }
}

class RegistryProcess implements LocalRegistry {
  private exited = false;
  private stopping: Promise<void> | undefined;
  private readonly exit: Promise<void>;
  private readonly killOnNodeExit = (): void => {
    if (!this.exited) signalQuietly(this.pid, 'SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  };

  constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    readonly version: string,
    private readonly dir: string,
    private readonly watchdog: ChildProcess,
    public url = '',
  ) {
    this.exit = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exit.then(() => (this.exited = true));
    process.on('exit', this.killOnNodeExit);
  }

  get logFile(): string {
    return join(this.dir, 'registry.log');
  }

  /** Resolves with the API's URL once it answers; rejects when the JVM exits or the time is up. */
  async ready(timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`Apicurio Registry exited while starting (${this.child.exitCode ?? this.child.signalCode}):\n${await tail(this.logFile)}`);
      const base = LISTENING.exec(await readFile(this.logFile, 'utf8').catch(() => ''))?.[1];
      if (base && (await fetch(`${base}${CCOMPAT_PATH}/subjects`).then((r) => r.ok, () => false))) return `${base}${CCOMPAT_PATH}`;
      await sleep(200);
    }
    throw new Error(`Apicurio Registry did not answer within ${timeoutMs} ms:\n${await tail(this.logFile)}`);
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (!this.exited) {
        signalQuietly(this.pid, 'SIGTERM');
        const stopped = await Promise.race([this.exit.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
        if (!stopped) signalQuietly(this.pid, 'SIGKILL');
        await this.exit;
      }
      stopWatchdog(this.watchdog);
      process.off('exit', this.killOnNodeExit);
      await rm(this.dir, { recursive: true, force: true, maxRetries: 3 });
    })();
    return this.stopping;
  }
}

function launch(java: string, jar: string, dir: string, version: string): RegistryProcess {
  const log = openSync(join(dir, 'registry.log'), 'a');
  let child: ChildProcess;
  try {
    const properties = [
      ...['quarkus.http.host=127.0.0.1', 'quarkus.http.port=0', 'quarkus.management.host=127.0.0.1', 'quarkus.management.port=0'],
      // The "Listening on: <url>" line (3.0 logs only warnings of io.quarkus by default).
      'quarkus.log.category."io.quarkus".level=INFO',
      'quarkus.banner.enabled=false',
    ];
    const args = [...JVM_OPTIONS, ...properties.map((p) => `-D${p}`), `-Djava.io.tmpdir=${dir}`, '-jar', jar];
    // Its own process group: a Ctrl-C reaches Node, which decides when to stop it.
    child = spawn(java, args, { cwd: dir, detached: true, stdio: ['ignore', log, log] });
  } finally {
    closeSync(log);
  }
  if (child.pid === undefined) throw new Error(`cannot run ${java}`);
  child.unref();
  return new RegistryProcess(child, child.pid, version, dir, spawnWatchdog(child.pid, dir, 'local-schema-registry-watchdog'));
}

/** Fetches Apicurio Registry if needed, starts it and resolves once its Confluent-compatible API answers. */
export async function startLocalRegistry(options: LocalRegistryOptions = {}): Promise<LocalRegistry> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let chosen: { version: string; java: string } | undefined;
  for (const candidate of VERSIONS.filter((v) => options.version === undefined || v.version === options.version)) {
    const java = await findJava(candidate.java);
    if (java) {
      chosen = { version: candidate.version, java: java.binary };
      break;
    }
  }
  if (!chosen) {
    const wanted = options.version ? `Apicurio Registry ${options.version} (one of ${VERSIONS.map((v) => `${v.version} on Java ${v.java}+`).join(', ')})` : 'Java 17 or newer';
    throw new Error(`the local Schema Registry needs ${wanted}: install a JDK, or set JAVA_HOME`);
  }
  const appDir = await ensureRegistryApp(chosen.version, options.cacheDir ?? DEFAULT_REGISTRY_CACHE_DIR, log);
  const dir = await mkdtemp(join(tmpdir(), 'local-schema-registry-'));
  const started = Date.now();
  const registry = launch(chosen.java, await runnableJar(appDir), dir, chosen.version);
  try {
    registry.url = await registry.ready(options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
  } catch (error) {
    await registry.stop();
    throw error;
  }
  log(`Schema Registry (Apicurio Registry ${chosen.version}) ready at ${registry.url} (pid ${registry.pid}) after ${Date.now() - started} ms`);
  return registry;
}
