/**
 * `npm run docs`: writes the API reference as one self-contained HTML file, docs/api-reference.html — the page
 * `/docs` serves, pre-rendered (run `npm run generate` first after a spec change).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReferencePage } from '../src/docs/reference-page.js';
import { PROJECT_ROOT } from '../src/project-paths.js';
import { loadBundledSpec } from '../src/proxy.js';

const out = join(PROJECT_ROOT, 'docs', 'api-reference.html');
const html = buildReferencePage(loadBundledSpec());
writeFileSync(out, html);
console.log(`wrote ${out} (${Math.round(html.length / 1024)} KiB, no external resources)`);
