/**
 * Regenerates everything in generated/ from the hand-written spec in openapi/:
 *   generated/openapi.json       the bundled spec (redocly bundle)
 *   generated/openapi-types.ts   TypeScript types (openapi-typescript)
 *   generated/operations.ts      the typed operationId → handler map and per-operation metadata
 *   generated/api-reference.fragment.html   the API reference pre-rendered by Redoc (served by /docs)
 * and the settings tables of docs/configuration.md and README.md from src/config/settings.ts.
 *
 * `--check` writes nothing and exits 1 when any file in generated/ differs from what the spec produces.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import type { OpenAPI3 } from 'openapi-typescript';
import { renderOperationsModule } from './generate/operations-module.js';
import { renderReferenceFragment } from './generate/reference-markup.js';
import { configurationDoc, readmeDoc } from './generate/settings-docs.js';
import type { SpecDocument } from './generate/spec-model.js';

const root = new URL('..', import.meta.url).pathname;

function bundleSpec(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-rest-bundle-'));
  try {
    const out = join(dir, 'openapi.json');
    execFileSync(join(root, 'node_modules/.bin/redocly'), ['bundle', 'openapi/openapi.yaml', '--output', out], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    // Re-serialise so the committed file has one stable format whatever redocly's own formatting is.
    return JSON.stringify(JSON.parse(readFileSync(out, 'utf8')), null, 2) + '\n';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function typesFor(bundled: string): Promise<string> {
  const ast = await openapiTS(JSON.parse(bundled) as OpenAPI3, { alphabetize: false, defaultNonNullable: false });
  return COMMENT_HEADER + astToString(ast);
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const bundled = bundleSpec();
  // Paths relative to the project root.
  const files: Record<string, string> = {
    'generated/openapi.json': bundled,
    'generated/openapi-types.ts': await typesFor(bundled),
    'generated/operations.ts': renderOperationsModule(JSON.parse(bundled) as SpecDocument),
    'generated/api-reference.fragment.html': await renderReferenceFragment(JSON.parse(bundled) as object),
    'docs/configuration.md': configurationDoc(readFileSync(join(root, 'docs/configuration.md'), 'utf8')),
    'README.md': readmeDoc(readFileSync(join(root, 'README.md'), 'utf8')),
  };
  const stale = Object.entries(files).filter(([name, text]) => {
    const path = join(root, name);
    return !existsSync(path) || readFileSync(path, 'utf8') !== text;
  });
  if (check) {
    if (stale.length > 0) {
      console.error(`stale: ${stale.map(([n]) => n).join(', ')} differ from openapi/ and src/config/settings.ts. Run: npm run generate`);
      process.exit(1);
    }
    console.log('generated/ and the settings tables are up to date');
    return;
  }
  for (const [name, text] of stale) writeFileSync(join(root, name), text);
  console.log(stale.length ? `regenerated: ${stale.map(([n]) => n).join(', ')}` : 'generated/ already up to date');
}

await main();
