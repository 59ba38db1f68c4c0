/**
 * The peer's runtime: the Strimzi Kafka Bridge built once from the source folder `shared/peers/strimzi-kafka-bridge`
 * (found beside the project or any folder above it; BENCH_BRIDGE_SOURCE names another) with its own `build.sh`,
 * cached under `.cache/strimzi-bridge/<version>/`, and the JVM it runs on (Java ≥ 21; the broker keeps the default
 * Java). BENCH_BRIDGE_LIBS names a folder of bridge jars to use instead of building.
 *
 * Like maven.ts, the build goes to a private temporary directory and is renamed into place with its completion
 * marker, so an interrupted or concurrent run never leaves a half-built cache.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../../src/project-paths.js';
import { runChecked } from '../../src/process/run-command.js';
import { errorMessage } from './processes.js';
import type { Log } from './processes.js';
import { pathExists } from '../path-exists.js';

/** The bridge runs on this Java feature version or newer (1.x is compiled for release 21). */
const MINIMUM_JAVA = 21;
const PEER_FOLDER = join('shared', 'peers', 'strimzi-kafka-bridge');
const TARBALL = /^strimzi-kafka-bridge-(\d+\.\d+\.\d+)-src\.tar\.gz$/;
const COMPLETE_MARKER = '.complete';
const BUILD_TIMEOUT_MS = 15 * 60_000;

export interface BridgeRuntime {
  /** The folder of the bridge's jars (`-cp <libs>/*`). */
  readonly libsDir: string;
  /** The `java` to run it with. */
  readonly java: string;
  /** As shown in the report: `1.1.0 (built from …)`, or the BENCH_BRIDGE_LIBS folder. */
  readonly description: string;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The peer folder: BENCH_BRIDGE_SOURCE, else `shared/peers/strimzi-kafka-bridge` in the project's folder or above. */
export function findBridgeSource(): string | undefined {
  const given = process.env['BENCH_BRIDGE_SOURCE'];
  if (given) return given;
  for (let dir = PROJECT_ROOT; ; dir = dirname(dir)) {
    const candidate = join(dir, PEER_FOLDER);
    if (isDirectory(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The Java feature version (17, 21, 25, ...) of the JDK or JRE at `home`, from its `release` file. */
function javaFeature(home: string): number | undefined {
  try {
    const match = /^JAVA_VERSION="(?:1\.)?(\d+)/m.exec(readFileSync(join(home, 'release'), 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A `java` of version ≥ 21: BENCH_BRIDGE_JAVA_HOME, else JAVA_HOME if it is one, else the lowest suitable one under
 * /usr/lib/jvm (what build.sh builds with).
 */
export function findBridgeJava(): string {
  const explicit = process.env['BENCH_BRIDGE_JAVA_HOME'];
  if (explicit) return join(explicit, 'bin', 'java');
  const fromEnv = process.env['JAVA_HOME'];
  if (fromEnv && (javaFeature(fromEnv) ?? 0) >= MINIMUM_JAVA) return join(fromEnv, 'bin', 'java');
  const root = '/usr/lib/jvm';
  const homes = isDirectory(root) ? [...new Set(readdirSync(root).map((name) => realpathSync(join(root, name))))] : [];
  const suitable = homes
    .map((home) => ({ home, feature: javaFeature(home) ?? 0 }))
    .filter((jdk) => jdk.feature >= MINIMUM_JAVA)
    .sort((a, b) => a.feature - b.feature);
  const chosen = suitable[0];
  if (!chosen) throw new Error(`the bridge needs Java ${MINIMUM_JAVA} or newer: none under ${root}, and JAVA_HOME is not one (set BENCH_BRIDGE_JAVA_HOME)`);
  return join(chosen.home, 'bin', 'java');
}

/** The version named by the source tarball in the peer folder. */
async function sourceVersion(source: string): Promise<string> {
  const versions = (await readdir(source)).flatMap((name) => TARBALL.exec(name)?.[1] ?? []);
  if (versions.length !== 1) throw new Error(`${source} holds ${versions.length} strimzi-kafka-bridge-<version>-src.tar.gz files (expected one)`);
  return versions[0]!;
}

/** Builds the bridge into `.cache/strimzi-bridge/<version>/` on first use; returns its libs folder. */
async function ensureBuilt(source: string, java: string, log: Log): Promise<{ libsDir: string; version: string }> {
  const version = await sourceVersion(source);
  const versionDir = join(PROJECT_ROOT, '.cache', 'strimzi-bridge', version);
  const outDir = join(versionDir, 'dist');
  if (await pathExists(join(outDir, COMPLETE_MARKER))) return { libsDir: join(outDir, 'libs'), version };
  await mkdir(versionDir, { recursive: true });
  const workDir = await mkdtemp(join(versionDir, `.build-${process.pid}-`));
  try {
    const built = join(workDir, 'dist');
    log(`building the Strimzi Kafka Bridge ${version} from ${source} (first run only, about a minute)`);
    const started = performance.now();
    const env = { JAVA_HOME: dirname(dirname(java)) };
    try {
      await runChecked('bash', [join(source, 'build.sh'), built], { cwd: workDir, env, timeoutMs: BUILD_TIMEOUT_MS });
    } catch (error) {
      const lines = errorMessage(error).split('\n').filter((line) => line.trim() !== '');
      throw new Error(`build.sh failed: ${lines.slice(-4).join(' | ')}`);
    }
    const jars = (await readdir(join(built, 'libs'))).filter((name) => name.endsWith('.jar'));
    if (!jars.includes(`io.strimzi.kafka-bridge-${version}.jar`)) throw new Error(`build.sh left no io.strimzi.kafka-bridge-${version}.jar`);
    await writeFile(join(built, COMPLETE_MARKER), `${JSON.stringify({ version, source, jars: jars.length, at: new Date().toISOString() })}\n`);
    try {
      await rename(built, outDir);
    } catch (error) {
      if (!(await pathExists(join(outDir, COMPLETE_MARKER)))) throw error;
    }
    log(`bridge ${version}: ${jars.length} jars built in ${((performance.now() - started) / 1000).toFixed(0)} s, cached in ${outDir}`);
    return { libsDir: join(outDir, 'libs'), version };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The bridge to measure, or an error saying why there is none (no peer folder, no Java 21, a failed build). */
export async function ensureBridgeRuntime(log: Log): Promise<BridgeRuntime> {
  const java = findBridgeJava();
  const provided = process.env['BENCH_BRIDGE_LIBS'];
  if (provided) return { libsDir: provided, java, description: `jars from ${provided}` };
  const source = findBridgeSource();
  if (source === undefined) throw new Error(`no peer folder ${PEER_FOLDER} beside the project or above it (set BENCH_BRIDGE_SOURCE or BENCH_BRIDGE_LIBS)`);
  if (!isDirectory(source)) throw new Error(`BENCH_BRIDGE_SOURCE ${source} is not a folder`);
  const { libsDir, version } = await ensureBuilt(source, java, log);
  return { libsDir, java, description: `${version} (built from ${source})` };
}
