/** `npm start`: the compiled server, compiled first only when src/ changed since the last build (see build.mjs). */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt, ROOT } from './build.mjs';

if (!ensureBuilt()) process.exit(1);
await import(pathToFileURL(join(ROOT, 'dist', 'src', 'main.js')).href);
