/**
 * Where each consumer instance lives: the one core service the consumer registry asks "may I create this?" and the
 * dispatcher asks "who holds this?". One node alone (StandalonePlacement) holds everything; the nodes of a
 * deployment share a directory in Kafka (DirectoryPlacement, directory-placement.ts).
 */
import type { Claim } from './instance-directory.js';
import type { InstanceSummary } from './placement-ports.js';

/** What placement needs of the instances this node hosts (the consumer registry). */
export interface LocalInstances {
  /** Whether this node has the instance, or is creating it. */
  hosts(group: string, instance: string): boolean;
  /** Closes the instance without releasing its claim: it is no longer this node's. */
  drop(group: string, instance: string): Promise<void>;
  list(): InstanceSummary[];
}

export type Route = { readonly kind: 'local' } | { readonly kind: 'remote'; readonly holder: Claim };

export interface InstancePlacement {
  attach(local: LocalInstances): void;
  /** Where a request for the instance is handled; `create`: claim it for this node when nobody holds it. */
  route(group: string, instance: string, create: boolean): Promise<Route>;
  /** Records this node as the instance's holder; false when another node holds it. */
  claim(group: string, instance: string): Promise<boolean>;
  release(group: string, instance: string): Promise<void>;
  /** A forward to the holder's URL failed: revokes its node's claims if that node is gone; true when it was. */
  holderFailed(holder: Claim): Promise<boolean>;
  /** The instances the other nodes host. */
  peerInstances(): Promise<InstanceSummary[]>;
  /** Calls `gone` once the claim is withdrawn and its holder is not in the node group; returns the unwatch. */
  watch(claimId: string, gone: () => void): () => void;
}

/** One node alone: every claim wins, nothing is elsewhere. */
export class StandalonePlacement implements InstancePlacement {
  attach(): void {}
  async route(): Promise<Route> {
    return { kind: 'local' };
  }
  async claim(): Promise<boolean> {
    return true;
  }
  async release(): Promise<void> {}
  async holderFailed(): Promise<boolean> {
    return false;
  }
  async peerInstances(): Promise<InstanceSummary[]> {
    return [];
  }
  watch(): () => void {
    return () => undefined;
  }
}
