/**
 * `npm pack` ships the lock file as npm-shrinkwrap.json, so an installed kafka-rest-ts gets the dependency versions
 * the tests ran with, overrides included (package.json's `overrides` apply only to this checkout: without the
 * shrinkwrap, openapi-backend would pull json-schema-ref-parser 16, which needs Node 22). The checkout itself keeps
 * package-lock.json; `--remove` (postpack) deletes the copy.
 */
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const shrinkwrap = join(root, 'npm-shrinkwrap.json');
if (process.argv.includes('--remove')) rmSync(shrinkwrap, { force: true });
else copyFileSync(join(root, 'package-lock.json'), shrinkwrap);
