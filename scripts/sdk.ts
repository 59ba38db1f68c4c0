/**
 * `npm run sdk`: generates the TypeScript, Python, Go and Java clients listed in openapi-generator.json into
 * generated/sdk/<language>/ from generated/openapi.json. An SDK whose inputs did not change is left alone;
 * `npm run sdk -- --force` regenerates them all.
 */
import { relative } from 'node:path';
import { PROJECT_ROOT } from '../src/project-paths.js';
import { ensureSdks } from './sdk/generate-sdks.js';

const started = Date.now();
const sdks = await ensureSdks({ force: process.argv.includes('--force') });
for (const sdk of sdks) {
  process.stdout.write(`${sdk.language.padEnd(12)} ${relative(PROJECT_ROOT, sdk.outputDir)}  ${sdk.regenerated ? 'generated' : 'up to date'}\n`);
}
process.stdout.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
