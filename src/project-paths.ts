/** Locations inside the project, valid both from src/ (tsx, vitest) and from dist/src/ (compiled). */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
export const BUNDLED_SPEC_PATH = join(PROJECT_ROOT, 'generated', 'openapi.json');
/** The API reference pre-rendered from the bundled spec (see src/docs/reference-page.ts). */
export const REFERENCE_FRAGMENT_PATH = join(PROJECT_ROOT, 'generated', 'api-reference.fragment.html');

/** Installed as a package (npm install -g, npx): the code sits in a node_modules folder, which npm may replace. */
export const INSTALLED_AS_PACKAGE = PROJECT_ROOT.split(sep).includes('node_modules');

/**
 * Where downloads are kept (Kafka's jars): `.cache/` in a checkout (git-ignored); for an installed package, the
 * user's cache directory, `$XDG_CACHE_HOME/kafka-rest-ts` (default `~/.cache/kafka-rest-ts`).
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (!INSTALLED_AS_PACKAGE) return join(PROJECT_ROOT, '.cache');
  return join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'kafka-rest-ts');
}
