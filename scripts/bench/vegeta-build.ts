/**
 * Vegeta (github.com/tsenart/vegeta), the open-loop load generator of the fixed-rate measures: built once with the
 * machine's Go into `.cache/vegeta/<version>/`. Like bridge-build.ts, it is built in a private temporary folder and
 * renamed into place, so an interrupted or concurrent run never leaves a half-built cache.
 */
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/project-paths.js';
import { runChecked } from '../../src/process/run-command.js';
import { errorMessage } from './processes.js';
import type { Log } from './processes.js';
import { pathExists } from '../path-exists.js';

const MODULE = 'github.com/tsenart/vegeta/v12';
const VEGETA_VERSION = 'v12.13.0';
const BUILD_TIMEOUT_MS = 10 * 60_000;

/** The vegeta binary, built on first use; throws saying why it cannot be (no Go, a failed build). */
export async function ensureVegeta(log: Log): Promise<string> {
  const versionDir = join(PROJECT_ROOT, '.cache', 'vegeta', VEGETA_VERSION);
  const binary = join(versionDir, 'vegeta');
  if (await pathExists(binary)) return binary;
  await mkdir(join(PROJECT_ROOT, '.cache', 'vegeta'), { recursive: true });
  const workDir = await mkdtemp(join(PROJECT_ROOT, '.cache', 'vegeta', `.build-${process.pid}-`));
  try {
    log(`building vegeta ${VEGETA_VERSION} with go install (first run only)`);
    try {
      await runChecked('go', ['install', `${MODULE}@${VEGETA_VERSION}`], { cwd: workDir, env: { GOBIN: workDir, GOFLAGS: '-modcacherw' }, timeoutMs: BUILD_TIMEOUT_MS });
    } catch (error) {
      const lines = errorMessage(error).split('\n').filter((line) => line.trim() !== '');
      throw new Error(`go install ${MODULE}@${VEGETA_VERSION} failed: ${lines.slice(-3).join(' | ')}`);
    }
    try {
      await rename(workDir, versionDir);
    } catch (error) {
      if (!(await pathExists(binary))) throw error;
    }
    return binary;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
