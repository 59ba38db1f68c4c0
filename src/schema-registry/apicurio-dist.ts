/**
 * Apicurio Registry's Quarkus application, fetched from Maven Central through `mvn` once per version into a
 * git-ignored cache (`.cache/schema-registry/<version>/app`), unpacked, and published by an atomic rename with a
 * completion marker — as the local Kafka broker's jars are (and under the same kind of lock).
 */
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireLock, pathExists } from '../kafka/local-broker.js';
import { runChecked } from '../process/run-command.js';
import { PROJECT_ROOT } from '../project-paths.js';

export const DEFAULT_REGISTRY_CACHE_DIR = join(PROJECT_ROOT, '.cache', 'schema-registry');
const COMPLETE_MARKER = '.complete';

type Log = (line: string) => void;

/** The jar to run: `quarkus-run.jar` (3.1 and later) or `<artifact>-runner.jar` (3.0). */
export async function runnableJar(appDir: string): Promise<string> {
  const names = await readdir(appDir);
  const jar = names.find((n) => n === 'quarkus-run.jar') ?? names.find((n) => n.endsWith('-runner.jar'));
  if (!jar) throw new Error(`no quarkus-run.jar or *-runner.jar in ${appDir}`);
  return join(appDir, jar);
}

async function download(version: string, versionDir: string, appDir: string, log: Log): Promise<void> {
  const work = await mkdtemp(join(versionDir, `.download-${process.pid}-`));
  try {
    const artifact = `io.apicurio:apicurio-registry-app:${version}:tar.gz:all`;
    log(`fetching Apicurio Registry ${version} (${artifact}) from Maven Central with mvn (first run only) into ${appDir}`);
    const mvnArgs = ['-B', '-q', '-Dstyle.color=never', 'dependency:copy', `-Dartifact=${artifact}`, `-DoutputDirectory=${work}`];
    await runChecked('mvn', mvnArgs, { cwd: work, log: (line) => log(`mvn: ${line}`), timeoutMs: 30 * 60_000 });
    const archive = join(work, `apicurio-registry-app-${version}-all.tar.gz`);
    const unpacked = join(work, 'app');
    await mkdir(unpacked);
    await runChecked('tar', ['-xzf', archive, '-C', unpacked], { cwd: work, timeoutMs: 10 * 60_000 });
    await runnableJar(unpacked);
    await writeFile(join(unpacked, COMPLETE_MARKER), `${JSON.stringify({ version, at: new Date().toISOString() })}\n`);
    if (!(await pathExists(join(appDir, COMPLETE_MARKER)))) {
      await rm(appDir, { recursive: true, force: true });
      await rename(unpacked, appDir);
    }
    log(`Apicurio Registry ${version} is cached`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The unpacked application directory of `version`, fetched on first use. */
export async function ensureRegistryApp(version: string, cacheDir: string, log: Log): Promise<string> {
  if (!/^[0-9][0-9A-Za-z.-]*$/.test(version)) throw new Error(`not an Apicurio Registry version: ${JSON.stringify(version)}`);
  const versionDir = join(cacheDir, version);
  const appDir = join(versionDir, 'app');
  if (await pathExists(join(appDir, COMPLETE_MARKER))) return appDir;
  await mkdir(versionDir, { recursive: true });
  const lock = await acquireLock(join(versionDir, '.lock'), log);
  try {
    if (!(await pathExists(join(appDir, COMPLETE_MARKER)))) {
      for (const name of await readdir(versionDir)) {
        if (name.startsWith('.download-')) await rm(join(versionDir, name), { recursive: true, force: true });
      }
      await download(version, versionDir, appDir, log);
    }
    return appDir;
  } finally {
    await lock.release();
  }
}
