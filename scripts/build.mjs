/**
 * Compiles src/ into dist/ when a source is newer than the last build, so that an unchanged checkout starts
 * without running tsc (`npm start`, and npm's `prepare` after `npm install`). `--clean`: a fresh full build, as
 * `npm pack` (prepack) ships it. Plain JavaScript: it runs before anything is compiled, with Node alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILD_INFO = join(ROOT, 'dist', '.tsbuildinfo');
const INPUTS = ['src', 'generated', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function newestChange(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

export function isStale() {
  const built = statSync(BUILD_INFO, { throwIfNoEntry: false });
  return !built || INPUTS.some((input) => newestChange(join(ROOT, input)) > built.mtimeMs);
}

/** Runs tsc; false (with a message saying what to do) when it is not installed or fails. */
export function compile() {
  if (!existsSync(TSC)) {
    process.stderr.write('dist/ is missing or older than src/, and TypeScript is not installed: run `npm install` first (or install the package made by `npm pack`)\n');
    return false;
  }
  const result = spawnSync(process.execPath, [TSC, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (result.status !== 0) return false;
  // tsc leaves its build info alone when no output changed; marking it keeps the next start from compiling again.
  const now = new Date();
  utimesSync(BUILD_INFO, now, now);
  return true;
}

export function ensureBuilt() {
  return !isStale() || compile();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--clean')) {
    rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
    process.exit(compile() ? 0 : 1);
  }
  // As npm's prepare: an install without dev dependencies (npm ci --omit=dev) has no tsc, and must not fail.
  if (isStale() && existsSync(TSC)) process.exit(compile() ? 0 : 1);
}
