/**
 * Who waits for a claim's holder to be gone: forwards in flight to a node that may have stopped answering (frozen,
 * or its host lost) end when its claim is withdrawn and the node group no longer lists it. A claim withdrawn by its
 * holder (a release, e.g. the DELETE being forwarded) is no news to them.
 */
import type { Claim } from './instance-directory.js';

export class ClaimWatchers {
  private readonly watchers = new Map<string, Set<() => void>>();

  constructor(private readonly holderListed: (claim: Claim) => Promise<boolean>) {}

  /** Calls `gone` once the claim is withdrawn and its holder has left the node group; returns the unwatch. */
  watch(claimId: string, gone: () => void): () => void {
    const set = this.watchers.get(claimId) ?? new Set();
    set.add(gone);
    this.watchers.set(claimId, set);
    return () => {
      set.delete(gone);
      if (set.size === 0) this.watchers.delete(claimId);
    };
  }

  withdrawn(claim: Claim): void {
    const watching = this.watchers.get(claim.claimId);
    if (!watching) return;
    void this.holderListed(claim).then(
      (listed) => {
        if (!listed) for (const gone of [...watching]) gone();
      },
      () => undefined,
    );
  }
}
