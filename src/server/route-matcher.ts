/** Route matching for openapi-backend with each path template's regex built once (see precompiledMatcher). */
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
  return (request: ApiRequest, strict = false): RoutedOperation | undefined => {
    const req = router.normalizeRequest(request);
    const fail = (message: string): undefined => {
      if (strict) throw Error(message);
      return undefined;
    };
    const path = router.normalizePath(req.path);
    const exact = operations.find((o) => o.path === path && o.method === req.method);
    if (exact) return exact;
    const matching = templates.filter((t) => t.pattern.test(path));
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
