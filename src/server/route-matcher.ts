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
  // A template whose first segment is literal only matches paths with that first segment: test those (and the
  // templates starting with a parameter), in the same order, instead of every template of the spec.
  const firstSegment = (path: string): string => path.split('/')[1] ?? '';
  const literalFirst = (path: string): string | undefined => (firstSegment(path).includes('{') ? undefined : firstSegment(path));
  const anyFirst = templates.filter((t) => literalFirst(t.operation.path) === undefined);
  const byFirst = new Map<string, typeof templates>();
  for (const t of templates) {
    const first = literalFirst(t.operation.path);
    if (first !== undefined && !byFirst.has(first)) byFirst.set(first, templates.filter((u) => [first, undefined].includes(literalFirst(u.operation.path))));
  }
  return (request: ApiRequest, strict = false): RoutedOperation | undefined => {
    const req = router.normalizeRequest(request);
    const fail = (message: string): undefined => {
      if (strict) throw Error(message);
      return undefined;
    };
    const path = router.normalizePath(req.path);
    const exact = operations.find((o) => o.path === path && o.method === req.method);
    if (exact) return exact;
    const matching = (byFirst.get(firstSegment(path)) ?? anyFirst).filter((t) => t.pattern.test(path));
    if (matching.length === 0) return fail('404-notFound: no route matches request');
    return matching.find((t) => t.operation.method === req.method)?.operation ?? fail('405-methodNotAllowed: this method is not registered for the route');
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
