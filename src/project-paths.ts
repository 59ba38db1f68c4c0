/** Locations inside the project, valid both from src/ (tsx, vitest) and from dist/src/ (compiled). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
