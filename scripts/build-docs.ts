/** `npm run docs`: writes the API reference as one self-contained HTML file, docs/api-reference.html. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRedocBundle, renderReferencePage } from '../src/docs/reference-page.js';
import { PROJECT_ROOT } from '../src/project-paths.js';
import { loadBundledSpec } from '../src/proxy.js';

const out = join(PROJECT_ROOT, 'docs', 'api-reference.html');
const html = renderReferencePage(loadBundledSpec(), readRedocBundle());
writeFileSync(out, html);
console.log(`wrote ${out} (${Math.round(html.length / 1024)} KiB, no external resources)`);
