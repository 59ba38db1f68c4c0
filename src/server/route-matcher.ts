/**
 * Route matching for openapi-backend with each path template's regex built once (see precompiledMatcher), and its
 * path-parameter parsing with each template compiled once (memoizePathTemplates).
 */
import { createRequire } from 'node:module';
import type { OpenAPIBackend, Request as ApiRequest } from 'openapi-backend';

type Router = OpenAPIBackend['router'];
type RoutedOperation = ReturnType<Router['getOperations']>[number];

/**
 * openapi-backend's `matchOperation`, with each path template's regex built once instead of for every operation
 * on every request. Same rules: an exact path wins; else the templates that match, most literal characters first,
 * the first with the request's method; strict mode throws its 404/405 errors. (Its apiRoot check is left out: the
 * apiRoot is `/`, under which every path is.)
 */
export function precompiledMatcher(router: Router, operations: readonly RoutedOperation[]) {
  const literalLength = (path: string): number => path.replace(/\{.*?\}/g, '').length;
  const templates = operations
    .map((operation) => ({ operation, pattern: new RegExp(`^${path2regex(operation.path)}$`), specificity: literalLength(operation.path) }))
    .sort((a, b) => b.specificity - a.specificity);
  // A parameter matches one segment, so a template only matches paths of its segment count; one whose first
  // segment is literal only paths with that first segment. Only those are tested, in the same order.
  const segmentsOf = (path: string): string[] => path.split('/');
  const literalFirst = (path: string): string | undefined => {
    const first = segmentsOf(path)[1] ?? '';
    return first.includes('{') ? undefined : first;
  };
  const key = (count: number, first: string | undefined): string => `${count}/${first ?? '{}'}`;
  const candidates = new Map<string, typeof templates>();
  for (const t of templates) {
    const count = segmentsOf(t.operation.path).length;
    for (const first of new Set([literalFirst(t.operation.path), undefined])) {
      if (candidates.has(key(count, first))) continue;
      candidates.set(
        key(count, first),
        templates.filter((u) => segmentsOf(u.operation.path).length === count && [first, undefined].includes(literalFirst(u.operation.path))),
      );
    }
  }
  const exact = new Map<string, RoutedOperation>();
  for (const o of operations) if (!exact.has(`${o.method} ${o.path}`)) exact.set(`${o.method} ${o.path}`, o);
  return (request: ApiRequest, strict = false): RoutedOperation | undefined => {
    const req = router.normalizeRequest(request);
    const fail = (message: string): undefined => {
      if (strict) throw Error(message);
      return undefined;
    };
    const path = router.normalizePath(req.path);
    const exactly = exact.get(`${req.method} ${path}`);
    if (exactly) return exactly;
    const segments = segmentsOf(path);
    const list = candidates.get(key(segments.length, segments[1] ?? '')) ?? candidates.get(key(segments.length, undefined)) ?? [];
    let pathMatched = false;
    for (const t of list) {
      if (!t.pattern.test(path)) continue;
      if (t.operation.method === req.method) return t.operation;
      pathMatched = true;
    }
    return pathMatched ? fail('405-methodNotAllowed: this method is not registered for the route') : fail('404-notFound: no route matches request');
  };
}

/** A path template as a regex source: `{name}` matches one segment, everything else literally. */
function path2regex(path: string): string {
  return path
    .split(/\{[^}]+\}/)
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
}

type Bath = (template: string, patterns?: unknown) => unknown;

/**
 * openapi-backend parses each request's path parameters with `bath(operation.path)`, which compiles the path
 * template every time; the templates are the spec's, so each compiled one is kept (it is a pure function of it).
 */
export function memoizePathTemplates(): void {
  const bath = createRequire(import.meta.url)('bath-es5') as { default: Bath & { memoized?: true } };
  if (bath.default.memoized) return;
  const compile = bath.default;
  const compiled = new Map<string, unknown>();
  const memoized: Bath & { memoized?: true } = (template, patterns) => {
    if (patterns !== undefined) return compile(template, patterns);
    let found = compiled.get(template);
    if (found === undefined) compiled.set(template, (found = compile(template)));
    return found;
  };
  memoized.memoized = true;
  bath.default = memoized;
}
