/**
 * Our proxy as a child process (so its RSS is its own and the load generator stays out of its event loop), compiled
 * with tsc into a private folder of this run — `dist/` and the sources are shared with other people's runs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../../src/project-paths.js';
import { runChecked } from '../../src/process/run-command.js';
import { ChildService, errorMessage, freePort, waitUntil } from './processes.js';
import type { Log } from './processes.js';

const PROFILE_PRELOAD = join(PROJECT_ROOT, 'scripts', 'bench', 'profile-preload.mjs');

export interface RunningServer {
  readonly baseUrl: string;
  readonly service: ChildService;
  /** performance.now() just before the process was spawned. */
  readonly spawnedAt: number;
}

export interface OursLaunch {
  readonly mainJs: string;
  readonly bootstrapServers: string;
  readonly logFile: string;
  /** Loads profile-preload.mjs: SIGUSR2 starts and stops CPU profiles, written into this folder. */
  readonly cpuProfileDir?: string;
}

/** Compiles src/ with the project's build settings into `outDir`; returns the entry point. */
export async function buildOurs(outDir: string, log: Log): Promise<string> {
  const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [tsc, '-p', join(PROJECT_ROOT, 'tsconfig.build.json'), '--outDir', outDir, '--tsBuildInfoFile', join(outDir, '.tsbuildinfo'), '--sourceMap', 'false'];
  const mainJs = join(outDir, 'src', 'main.js');
  try {
    await runChecked(process.execPath, args, { cwd: PROJECT_ROOT });
  } catch (error) {
    // tsc still emits on type errors; the working tree may be mid-edit by someone else.
    if (!existsSync(mainJs)) throw error;
    log(`tsc reported errors, measuring what it emitted anyway:\n${errorMessage(error).split('\n').slice(0, 8).join('\n')}`);
  }
  return mainJs;
}

/** Starts the proxy on a free port and returns at once, before it listens (the startup scenario times that). */
export async function spawnOurs(launch: OursLaunch): Promise<RunningServer> {
  const port = await freePort();
  const nodeArgs = launch.cpuProfileDir ? ['--import', pathToFileURL(PROFILE_PRELOAD).href] : [];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(launch.cpuProfileDir ? { BENCH_PROFILE_DIR: launch.cpuProfileDir } : {}),
    KAFKA_REST_BOOTSTRAP_SERVERS: launch.bootstrapServers,
    KAFKA_REST_LISTENERS: `http://127.0.0.1:${port}`,
    KAFKA_REST_LOG_LEVEL: 'warn',
  };
  const spawnedAt = performance.now();
  const service = await ChildService.start('proxy', process.execPath, [...nodeArgs, launch.mainJs], { env, cwd: PROJECT_ROOT, logFile: launch.logFile });
  return { baseUrl: `http://127.0.0.1:${port}`, service, spawnedAt };
}

/** Starts the proxy and waits until /readyz says Kafka is reachable. */
export async function startOurs(launch: OursLaunch): Promise<RunningServer> {
  const server = await spawnOurs(launch);
  try {
    await waitUntil('the proxy to become ready', async () => (await fetch(`${server.baseUrl}/readyz`)).ok, { timeoutMs: 30_000, service: server.service });
  } catch (error) {
    await server.service.stop();
    throw error;
  }
  return server;
}
