/**
 * Apache Kafka's jars, fetched from Maven Central through `mvn` once per version into a git-ignored cache: a
 * download happens in a private directory and is renamed into place with its completion marker, and a lock file
 * keeps concurrent callers from downloading twice.
 */
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked } from '../../process/run-command.js';
import { cacheDir } from '../../project-paths.js';
import { acquireLock } from './lock-file.js';
import { defaultLog, pathExists } from './system.js';
import type { Log } from './system.js';

export const DEFAULT_KAFKA_VERSION = '3.9.2';
export const DEFAULT_KAFKA_CACHE_DIR = join(cacheDir(), 'kafka');

export interface KafkaJarOptions {
  /** Apache Kafka version (Maven artifact `org.apache.kafka:kafka_2.13`); default 3.9.2. */
  readonly version?: string;
  /** Where jars are cached, one subdirectory per version; default `kafka/` in the project's cacheDir(). */
  readonly cacheDir?: string;
  /** Progress and status lines (including Maven's output on the first download); default stderr. */
  readonly log?: (line: string) => void;
}

/** The slf4j-api version kafka_2.13 3.9.x depends on; the reload4j binding has to be from the same line. */
const SLF4J_BINDING_VERSION = '1.7.36';
const COMPLETE_MARKER = '.complete';

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
 * The directory holding Kafka's runtime classpath, fetched on first use. An interrupted or concurrent download never
 * leaves a half-filled cache behind.
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
