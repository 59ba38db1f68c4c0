/**
 * CORS for browser clients of every dialect, configured with Confluent's `access.control.allow.origin`,
 * `.methods` and `.headers` (off while the origin list is empty).
 *
 * - A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from an allowed origin is answered
 *   here with 204 and the allowed methods and headers, on any path; from another origin, with 403 in the dialect's
 *   error envelope and no CORS headers, so the browser refuses the request it was asking about.
 * - Other requests from an allowed origin are served with `Access-Control-Allow-Origin`; from another origin they
 *   are served as if CORS were off (as Confluent's Jetty filter does), and the browser keeps the answer from the page.
 * - `Access-Control-Allow-Credentials` is never sent: browsers then send no cookies or cached HTTP auth on their
 *   own, and a page authenticates by setting `Authorization` itself (what `@upstash/kafka` does).
 */
import type Koa from 'koa';
import type { Context as KoaContext } from 'koa';
import type { CorsConfig } from '../config/config.js';
import type { Mounts } from './mounts.js';
import { writeError } from './response-writer.js';

/** How long a browser may cache a preflight's answer, in seconds (Jetty's default). */
const PREFLIGHT_MAX_AGE_S = '1800';

/** Response headers a page may read besides the CORS-safelisted ones. */
const EXPOSED_HEADERS = 'X-Request-Id';

function originMatcher(allowed: readonly string[]): (origin: string) => boolean {
  if (allowed.includes('*')) return () => true;
  const exact = new Set(allowed.filter((o) => !o.includes('*')).map((o) => o.toLowerCase()));
  const patterns = allowed
    .filter((o) => o.includes('*'))
    .map((o) => new RegExp(`^${o.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i'));
  return (origin) => exact.has(origin.toLowerCase()) || patterns.some((p) => p.test(origin));
}

function isPreflight(ctx: KoaContext): boolean {
  return ctx.method === 'OPTIONS' && ctx.get('access-control-request-method') !== '';
}

export function corsMiddleware(cors: CorsConfig, mounts: Mounts): Koa.Middleware {
  const allowed = originMatcher(cors.allowOrigins);
  const anyOrigin = cors.allowOrigins.includes('*');
  const methods = cors.allowMethods.join(', ');
  const headers = cors.allowHeaders.join(', ');
  const allowOrigin = (ctx: KoaContext, origin: string): void => {
    ctx.set('Access-Control-Allow-Origin', anyOrigin ? '*' : origin);
    if (!anyOrigin) ctx.vary('Origin');
  };
  return async (ctx, next) => {
    const origin = ctx.get('origin');
    if (origin === '') return next();
    if (!isPreflight(ctx)) {
      if (allowed(origin)) {
        allowOrigin(ctx, origin);
        ctx.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
      }
      return next();
    }
    if (!allowed(origin)) {
      const dialect = mounts.resolve(ctx.path).dialect;
      writeError(ctx, dialect, undefined, 'forbidden', `Origin ${origin} is not allowed to call this server (access.control.allow.origin).`);
      return;
    }
    allowOrigin(ctx, origin);
    ctx.set('Access-Control-Allow-Methods', methods);
    ctx.set('Access-Control-Allow-Headers', headers);
    ctx.set('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_S);
    ctx.status = 204;
  };
}
