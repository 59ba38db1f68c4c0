/**
 * Runtime classpaths of Java programs (the bridge, Kafka's tools) fetched from Maven Central through `mvn` into
 * `.cache/<name>/<version>/libs`, like src/kafka/local-broker.ts fetches Kafka's jars. Each download goes to a
 * private temporary directory and is renamed into place with its completion marker, so an interrupted or concurrent
 * run never leaves a half-filled cache: at worst two runs download the same jars and one rename loses.
 */
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/project-paths.js';
import { runChecked } from '../../src/process/run-command.js';
import { errorMessage } from './processes.js';
import type { Log } from './processes.js';
import { pathExists } from '../path-exists.js';

export interface MavenArtifact {
  readonly groupId: string;
  readonly artifactId: string;
  readonly version: string;
}

export interface ClasspathSpec {
  /** The cache folder under `.cache/`, e.g. `strimzi-bridge`. */
  readonly name: string;
  /** The version folder under it. */
  readonly version: string;
  readonly artifacts: readonly MavenArtifact[];
  /** A jar the download must contain, to tell a usable classpath from an empty one. */
  readonly requiredJar: string;
}

const COMPLETE_MARKER = '.complete';

function assertSafe(text: string): void {
  // It becomes part of a path and of the generated pom.xml.
  if (!/^[0-9A-Za-z][0-9A-Za-z._-]*$/.test(text)) throw new Error(`unsafe Maven coordinate part: ${JSON.stringify(text)}`);
}

function pomFor(spec: ClasspathSpec): string {
  const dependencies = spec.artifacts
    .map((a) => `    <dependency><groupId>${a.groupId}</groupId><artifactId>${a.artifactId}</artifactId><version>${a.version}</version></dependency>`)
    .join('\n');
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.kafka-rest.bench</groupId>
  <artifactId>${spec.name}-runtime</artifactId>
  <version>${spec.version}</version>
  <packaging>pom</packaging>
  <dependencies>
${dependencies}
  </dependencies>
</project>
`;
}

/** The directory holding the runtime classpath of `spec.artifacts`, fetched on first use. */
export async function ensureClasspath(spec: ClasspathSpec, log: Log): Promise<string> {
  for (const part of [spec.name, spec.version, ...spec.artifacts.flatMap((a) => [a.groupId, a.artifactId, a.version])]) assertSafe(part);
  const versionDir = join(PROJECT_ROOT, '.cache', spec.name, spec.version);
  const libsDir = join(versionDir, 'libs');
  if (await pathExists(join(libsDir, COMPLETE_MARKER))) return libsDir;
  await mkdir(versionDir, { recursive: true });
  const workDir = await mkdtemp(join(versionDir, `.download-${process.pid}-`));
  try {
    const pom = join(workDir, 'pom.xml');
    const downloaded = join(workDir, 'libs');
    await writeFile(pom, pomFor(spec));
    const coordinates = spec.artifacts.map((a) => `${a.groupId}:${a.artifactId}:${a.version}`).join(', ');
    log(`fetching ${coordinates} with mvn into ${libsDir} (first run only)`);
    // -U: a missing artifact is looked up again rather than answered from Maven's cache of failures.
    const args = ['-B', '-q', '-U', '-Dstyle.color=never', '-f', pom, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${downloaded}`];
    try {
      await runChecked('mvn', args, { cwd: workDir });
    } catch (error) {
      // Maven's own error line is the useful part ("Could not find artifact ...").
      const message = errorMessage(error);
      const reason = (/Could not find artifact [^\n]*?(?= -> |$)/m.exec(message) ?? /Could not (?:find|resolve)[^\n]*?(?= -> |$)/m.exec(message))?.[0] ?? message.split('\n').slice(-3).join(' ');
      throw new Error(`mvn could not fetch ${coordinates}: ${reason}`);
    }
    const jars = (await readdir(downloaded)).filter((name) => name.endsWith('.jar'));
    if (!jars.includes(spec.requiredJar)) throw new Error(`mvn did not produce ${spec.requiredJar}`);
    await writeFile(join(downloaded, COMPLETE_MARKER), `${JSON.stringify({ artifacts: spec.artifacts, jars: jars.length, at: new Date().toISOString() })}\n`);
    try {
      await rename(downloaded, libsDir);
    } catch (error) {
      // Another run published first (the target exists and is not empty): use theirs.
      if (!(await pathExists(join(libsDir, COMPLETE_MARKER)))) throw error;
    }
    log(`${coordinates}: ${jars.length} jars cached`);
    return libsDir;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
