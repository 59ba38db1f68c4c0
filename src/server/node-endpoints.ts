/**
 * The receiving side of requests between nodes, as Koa middleware run before the API: a request carrying
 * `X-Kafka-Rest-Forwarded` is let through only with a valid signature (it then acts for the principal the edge
 * authenticated — `ctx.state.forwarded`), else it is refused with 401 in its dialect's envelope; and a node answers
 * signed requests for its own list of instances at INSTANCES_PATH (unsigned ones get the usual 404).
 */
import type Koa from 'koa';
import type { InstanceSummary } from '../core/placement-ports.js';
import { FORWARDED_HEADER } from './forwarding-signature.js';
import type { ForwardedIdentity, ForwardingSigner } from './forwarding-signature.js';
import { Mounts } from './mounts.js';
import { INSTANCES_PATH } from './peer-client.js';
import { writeError } from './response-writer.js';

export interface NodeEndpointOptions {
  readonly signer: ForwardingSigner;
  readonly upstashPrefix: string;
  /** The instances this node hosts. */
  readonly instances: () => InstanceSummary[];
}

/** What a verified forwarded request leaves in `ctx.state`. */
export interface ForwardedState {
  forwarded?: ForwardedIdentity;
}

export function nodeEndpoints(options: NodeEndpointOptions): Koa.Middleware {
  const mounts = new Mounts(options.upstashPrefix);
  return async (ctx, next) => {
    const header = ctx.get(FORWARDED_HEADER);
    if (header === '') return next();
    const identity = options.signer.verify({ method: ctx.method, url: ctx.url, host: ctx.get('host') }, header);
    if (!identity) {
      const message = 'The X-Kafka-Rest-Forwarded header is not signed with this deployment\'s secret (internal.secret), or is older than a minute.';
      writeError(ctx, mounts.resolve(ctx.path).dialect, undefined, 'unauthorized', message);
      return;
    }
    if (ctx.path === INSTANCES_PATH && ctx.method === 'GET') {
      ctx.type = 'application/json';
      ctx.body = JSON.stringify({ instances: options.instances() });
      return;
    }
    (ctx.state as ForwardedState).forwarded = identity;
    return next();
  };
}
