/**
 * This node's own claims in the directory: those it holds (by instance, and since when), those it is withdrawing,
 * and every member id it has had in the node group — a claim made under an earlier one is dead.
 */
import type { Claim } from './instance-directory.js';

export const instanceKey = (group: string, instance: string): string => `${group}\u0000${instance}`;

export class HeldClaims {
  private readonly held = new Map<string, { claim: Claim; since: number }>();
  private readonly releasing = new Set<string>();
  private readonly members = new Set<string>();

  get size(): number {
    return this.held.size;
  }

  addMember(member: string): void {
    this.members.add(member);
  }

  /** Made by this process (under any of its memberships). */
  isMine(claim: Claim): boolean {
    return this.isMyMember(claim.node.member);
  }

  isMyMember(member: string): boolean {
    return this.members.has(member);
  }

  isHeld(claim: Claim): boolean {
    return this.held.get(instanceKey(claim.group, claim.instance))?.claim.claimId === claim.claimId;
  }

  holds(group: string, instance: string): boolean {
    return this.held.has(instanceKey(group, instance));
  }

  hold(claim: Claim): void {
    this.held.set(instanceKey(claim.group, claim.instance), { claim, since: Date.now() });
  }

  /** Stops holding the instance; its claim, if it held one. */
  take(group: string, instance: string): Claim | undefined {
    const key = instanceKey(group, instance);
    const entry = this.held.get(key);
    this.held.delete(key);
    return entry?.claim;
  }

  takeAll(): Claim[] {
    const claims = [...this.held.values()].map(({ claim }) => claim);
    this.held.clear();
    return claims;
  }

  /** Held for longer than `ms`. */
  heldLongerThan(ms: number, now = Date.now()): Claim[] {
    return [...this.held.values()].filter(({ since }) => now - since > ms).map(({ claim }) => claim);
  }

  /** Runs the withdrawal of a claim this node released, marked as such meanwhile. */
  async releasingWhile(claim: Claim, withdraw: () => Promise<void>): Promise<void> {
    this.releasing.add(claim.claimId);
    try {
      await withdraw();
    } finally {
      this.releasing.delete(claim.claimId);
    }
  }

  isReleasing(claim: Claim): boolean {
    return this.releasing.has(claim.claimId);
  }
}
