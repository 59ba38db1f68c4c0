import fc from 'fast-check';
import { OpenAPIBackend } from 'openapi-backend';
import { describe, expect, it } from 'vitest';
import { loadBundledSpec } from '../../src/proxy.js';
import { precompiledMatcher } from '../../src/server/api-dispatcher.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head'] as const;

async function routers() {
  const api = new OpenAPIBackend({ definition: loadBundledSpec(), quick: true, validate: false });
  await api.init();
  const operations = api.router.getOperations();
  const ours = precompiledMatcher(api.router, operations);
  const theirs = (path: string, method: string): string | undefined =>
    api.router.matchOperation({ path, method, headers: {} })?.operationId;
  const mine = (path: string, method: string): string | undefined => ours({ path, method, headers: {} })?.operationId;
  return { operations, theirs, mine };
}

describe('route matching with precompiled path templates', () => {
  it("picks the same operation as openapi-backend's matcher for every path of the spec and every method", async () => {
    const { operations, theirs, mine } = await routers();
    const paths = [...new Set(operations.map((o) => o.path.replace(/\{[^}]+\}/g, 'x-1')))];
    let compared = 0;
    for (const path of paths) {
      for (const method of METHODS) {
        expect(mine(path, method), `${method} ${path}`).toBe(theirs(path, method));
        compared++;
      }
    }
    expect(compared).toBe(paths.length * METHODS.length);
    expect(mine('/v3/clusters/c1/topics/t1', 'get')).toBe('v3GetTopic');
  });

  it('agrees on arbitrary paths built from the spec’s own segments', async () => {
    const { operations, theirs, mine } = await routers();
    const segments = [...new Set(operations.flatMap((o) => o.path.split('/')).filter((s) => s !== '' && !s.startsWith('{')))];
    const path = fc
      .array(fc.oneof(fc.constantFrom(...segments), fc.constantFrom('-', 'a.b', 'x', '%20', '')), { minLength: 0, maxLength: 8 })
      .map((parts) => `/${parts.join('/')}`);
    fc.assert(
      fc.property(path, fc.constantFrom(...METHODS), (p, method) => mine(p, method) === theirs(p, method)),
      { seed: 20261121, numRuns: 2000 },
    );
  });
});
