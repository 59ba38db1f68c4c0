/**
 * The openapi-generator CLI JAR, fetched from Maven Central through `mvn` once per version into the git-ignored
 * `.cache/openapi-generator/`. As with Kafka's jars (src/kafka/local-broker.ts), mvn writes into a private temporary
 * directory and the finished file is renamed into place, so an interrupted or concurrent fetch never leaves a
 * partial JAR where a later run would use it (two concurrent fetches just both rename a complete copy).
 */
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/project-paths.js';
import type { MavenArtifact } from './config.js';
import { runChecked } from '../../src/process/run-command.js';
import { pathExists } from '../path-exists.js';

export const GENERATOR_CACHE_DIR = join(PROJECT_ROOT, '.cache', 'openapi-generator');

/** Pinned so `dependency:copy` behaves the same whatever Maven's default plugin version is. */
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';
const FETCH_TIMEOUT_MS = 5 * 60_000;

type Log = (line: string) => void;

function jarName(artifact: MavenArtifact): string {
  return `${artifact.artifactId}-${artifact.version}.jar`;
}

async function fetchWithMaven(artifact: MavenArtifact, target: string, log: Log): Promise<void> {
  const workDir = await mkdtemp(join(GENERATOR_CACHE_DIR, `.download-${process.pid}-`));
  try {
    const coordinates = `${artifact.groupId}:${artifact.artifactId}:${artifact.version}:jar`;
    log(`fetching ${coordinates} from Maven Central with mvn (first run only)`);
    const args = ['-B', '-q', '-Dstyle.color=never', `${DEPENDENCY_PLUGIN}:copy`, `-Dartifact=${coordinates}`, `-DoutputDirectory=${workDir}`];
    await runChecked('mvn', args, { cwd: workDir, timeoutMs: FETCH_TIMEOUT_MS });
    await rename(join(workDir, jarName(artifact)), target);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The path of the generator JAR, fetched on first use. */
export async function ensureGeneratorJar(artifact: MavenArtifact, log: Log): Promise<string> {
  const target = join(GENERATOR_CACHE_DIR, jarName(artifact));
  if (await pathExists(target)) return target;
  await mkdir(GENERATOR_CACHE_DIR, { recursive: true });
  await fetchWithMaven(artifact, target, log);
  log(`cached ${target}`);
  return target;
}
