/**
 * The Koa application: CORS → request id and access log → mount resolution → openapi-backend dispatch → response,
 * with one error boundary that answers every failure in the dialect's JSON envelope.
 */
import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import type { Context as KoaContext } from 'koa';
import type { Logger } from 'pino';
import type { Document } from 'openapi-backend';
import type { OperationHandlers } from '../../generated/operations.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { CorsConfig } from '../config/config.js';
import { ANONYMOUS } from '../auth/principal.js';
import { DomainError, isDomainError } from '../errors/domain-error.js';
import { NO_OPERATION } from '../metrics/proxy-metrics.js';
import type { ProxyMetrics } from '../metrics/proxy-metrics.js';
import { ApiDispatcher } from './api-dispatcher.js';
import type { DispatchState } from './api-dispatcher.js';
import { corsMiddleware } from './cors.js';
import { NODE_HEADER, writeForwarded } from './forwarded-response.js';
import type { InstanceRouting } from './instance-routing.js';
import type { ForwardedState } from './node-endpoints.js';
import { LinkBuilder } from './links.js';
import { Mounts } from './mounts.js';
import { timedChunks } from './request-body.js';
import type { RequestContext } from './request-context.js';
import { writeError, writeResult } from './response-writer.js';

export interface AppOptions {
  readonly spec: Document;
  readonly handlers: OperationHandlers<RequestContext>;
  readonly logger: Logger;
  readonly upstashPrefix: string;
  readonly advertisedListeners: readonly string[];
  readonly requestMaxBytes: number;
  readonly requestBodyTimeoutMs: number;
  readonly requestBodyIdleTimeoutMs: number;
  readonly authenticator: Authenticator;
  /** Where each answered request is counted (by dialect, operationId and status) and timed. */
  readonly metrics?: Pick<ProxyMetrics, 'observeRequest'>;
  /** Cross-origin access for browsers; absent: CORS is off (preflights get 405 like any OPTIONS). */
  readonly cors?: CorsConfig;
  /** Middleware that runs before dispatch (e.g. in-flight tracking). */
  readonly middleware?: readonly Koa.Middleware[];
  /** This node's `id`, sent as X-Kafka-Rest-Node on every response. */
  readonly nodeId?: string;
  /** Sends requests for consumer instances held by other nodes there (a deployment of several nodes). */
  readonly routing?: InstanceRouting;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function requestIdOf(ctx: KoaContext): string {
  const given = ctx.get('x-request-id');
  return REQUEST_ID.test(given) ? given : randomUUID();
}

/** After a body timeout the rest of the request is unknown: answer, then close the connection. */
function closeAfterResponse(ctx: KoaContext): void {
  const socket = ctx.req.socket;
  if (!ctx.res.headersSent) ctx.res.shouldKeepAlive = false;
  ctx.res.once('finish', () => socket.destroy());
}

function toDomain(error: unknown): DomainError {
  if (isDomainError(error)) return error;
  // A malformed percent-escape in the path surfaces as a URIError from decoding: the client's mistake.
  if (error instanceof URIError) return new DomainError('bad_request', `Malformed URL: ${error.message}`);
  return new DomainError('internal', 'Internal server error.', { cause: error });
}

export async function createApp(options: AppOptions): Promise<Koa> {
  const dispatcher = new ApiDispatcher(options.spec, options.handlers, options.authenticator, options.routing);
  await dispatcher.init();
  const mounts = new Mounts(options.upstashPrefix);
  const app = new Koa();
  app.proxy = false;
  app.silent = true;
  for (const middleware of options.middleware ?? []) app.use(middleware);
  if (options.cors) app.use(corsMiddleware(options.cors, mounts));

  app.use(async (ctx) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdOf(ctx);
    ctx.set('X-Request-Id', requestId);
    if (options.nodeId) ctx.set(NODE_HEADER, options.nodeId);
    // Verified by node-endpoints.ts: the client's scheme at the edge, and whom the edge authenticated.
    const forwarded = (ctx.state as ForwardedState).forwarded;
    const proto = forwarded?.proto ?? (ctx.protocol === 'https' ? 'https' : 'http');
    const mounted = mounts.resolve(ctx.path);
    // A child logger costs an allocation and a serialisation of its bindings: made only when a line is logged.
    let child: Logger | undefined;
    const log = (): Logger => (child ??= options.logger.child({ requestId }));
    const onTimeout = (): void => closeAfterResponse(ctx);
    const context: RequestContext = {
      requestId,
      dialect: mounted.dialect,
      get log() {
        return log();
      },
      links: LinkBuilder.forRequest(options.advertisedListeners, proto, ctx.get('host')),
      requestHeaders: ctx.headers,
      principal: ANONYMOUS,
      bodyStream: timedChunks(ctx.req, { idleMs: options.requestBodyIdleTimeoutMs, onTimeout }),
      validateDocument: () => undefined,
    };
    const state: DispatchState = {
      req: ctx.req,
      apiRequest: {
        method: ctx.method === 'HEAD' ? 'GET' : ctx.method,
        path: mounted.specPath,
        headers: { ...ctx.headers } as Record<string, string | string[]>,
        query: ctx.querystring,
      },
      context,
      bodyLimit: options.requestMaxBytes,
      bodyTimeouts: { idleMs: options.requestBodyIdleTimeoutMs, totalMs: options.requestBodyTimeoutMs, onTimeout },
      proto,
      ...(forwarded ? { forwarded } : {}),
    };
    try {
      const outcome = await dispatcher.dispatch(state);
      if (outcome.forwarded) writeForwarded(ctx, outcome.forwarded);
      else writeResult(ctx, outcome.meta, outcome.result);
    } catch (error) {
      const domain = toDomain(error);
      if (domain.kind === 'internal' || domain.kind === 'kafka_error') log().error({ err: error }, 'request failed');
      writeError(ctx, mounted.dialect, state.meta, domain.kind, domain.message, domain.headers);
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    // A request another node forwarded here is counted there, where the client sent it (its time includes the hop):
    // summed over a deployment's nodes, the requests are the clients' requests.
    if (!forwarded) options.metrics?.observeRequest(mounted.dialect, state.meta?.operationId ?? NO_OPERATION, ctx.status, ms / 1000);
    if (!options.logger.isLevelEnabled('info')) return;
    log().info({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 100) / 100 }, 'request');
  });
  return app;
}
