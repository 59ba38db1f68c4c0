/**
 * The step before the handler of every operation that addresses a consumer instance (`x-consumer-instance` in the
 * spec): asks placement who holds the instance and, when another node does, streams the request there and hands
 * back its answer — so handlers never know there are other nodes. A holder that does not answer is reported to
 * placement, which revokes its claims if its node is gone; the request then goes where placement says next (here,
 * at worst: "not found", as after expiry), or answers 404 when its body already went to the dead node.
 */
import type { IncomingMessage } from 'node:http';
import type { ConsumerInstanceTarget } from '../../generated/operations.js';
import type { Principal } from '../auth/principal.js';
import type { InstancePlacement } from '../core/instance-placement.js';
import { DomainError } from '../errors/domain-error.js';
import type { ForwardedIdentity } from './forwarding-signature.js';
import { ForwardFailed } from './peer-client.js';
import type { ForwardedResponse, PeerClient } from './peer-client.js';

/** A request may pass through this many nodes (edge → holder → one more if the holder's view had moved on). */
const MAX_HOPS = 2;
/** Holders tried for one request (each failed one is revoked first if gone). */
const MAX_ATTEMPTS = 3;

export interface InstanceRequest {
  readonly target: ConsumerInstanceTarget;
  /** The operation's path parameters. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly req: IncomingMessage;
  readonly principal: Principal;
  readonly requestId: string;
  /** The scheme the client used. */
  readonly proto: 'http' | 'https';
  /** Set when another node forwarded this request here. */
  readonly forwarded?: ForwardedIdentity;
}

function parameter(params: Readonly<Record<string, unknown>>, name: string): string {
  const value = params[name];
  if (typeof value !== 'string') throw new DomainError('internal', `x-consumer-instance names path parameter '${name}', which the request lacks`);
  return value;
}

export class InstanceRouting {
  constructor(
    private readonly placement: InstancePlacement,
    private readonly peers: PeerClient,
  ) {}

  /** The holder's answer when another node holds the instance; undefined: this node handles the request. */
  async elsewhere(request: InstanceRequest): Promise<ForwardedResponse | undefined> {
    const group = parameter(request.params, request.target.group);
    const instance = parameter(request.params, request.target.instance);
    const hops = request.forwarded?.hops ?? 0;
    if (hops >= MAX_HOPS) return undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const route = await this.placement.route(group, instance, request.target.creates);
      if (route.kind === 'local') return undefined;
      // A holder that stops answering (frozen, or its host gone) is found out by the others' sweep: stop waiting then.
      const abort = new AbortController();
      const unwatch = this.placement.watch(route.holder.claimId, () => abort.abort());
      try {
        return await this.peers.forward(route.holder.node.url, request.req, {
          identity: { principal: request.principal, hops: hops + 1, proto: request.forwarded?.proto ?? request.proto },
          requestId: request.requestId,
          signal: abort.signal,
        });
      } catch (error) {
        if (!(error instanceof ForwardFailed)) throw error;
        const gone = await this.placement.holderFailed(route.holder);
        if (error.bodyUntouched && gone) continue;
        if (gone) throw new DomainError('consumer_instance_not_found', `Consumer instance '${instance}' of group '${group}' not found.`, { cause: error });
        throw new DomainError('kafka_unavailable', `The node holding consumer instance '${instance}' of group '${group}' did not answer; retry.`, { cause: error });
      } finally {
        unwatch();
      }
    }
    throw new DomainError('kafka_unavailable', `Consumer instance '${instance}' of group '${group}' is moving between nodes; retry.`);
  }
}
