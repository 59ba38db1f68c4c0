/**
 * The deployment's directory of consumer instances, as one node has read it from its log (a single-partition,
 * compacted Kafka topic; see docs/scaling.md). Each record is one claim, keyed by its own id: "node N (member M of
 * the node group, reachable at URL) holds instance I of group G". A tombstone withdraws a claim: its owner releases
 * it, or any node revokes it once its owner is gone.
 *
 * The holder of (G, I) is the claim for it that comes first in the log and is still there. Every node that has read
 * the same part of the log names the same holder, so two nodes claiming one name at once agree on who won without
 * any further exchange. Claims are keyed by id, not by instance, so that compaction (which keeps the last record of
 * each key) never puts a later claim in the place of an earlier one, and a tombstone withdraws exactly one claim.
 */

/** One node of the deployment, as its claims name it. */
export interface NodeAddress {
  /** The node's `id` setting (for logs and the X-Kafka-Rest-Node header). */
  readonly id: string;
  /** Its member id in the node group: changes whenever the node (re)joins, so a dead member's claims stay dead. */
  readonly member: string;
  /** Where the other nodes send its requests (internal.url). */
  readonly url: string;
}

export interface Claim {
  readonly claimId: string;
  /** Position in the directory log: the earliest remaining claim of an instance holds it. */
  readonly offset: bigint;
  readonly group: string;
  readonly instance: string;
  readonly node: NodeAddress;
  /** When this node read it (epoch ms): a member list asked for later and lacking its member proves it dead. */
  readonly readAt: number;
}

export interface DirectoryRecord {
  readonly offset: bigint;
  readonly key: string;
  /** null: a tombstone. */
  readonly value: Buffer | null;
}

const CLAIM_PREFIX = 'claim/';
const VERSION = 1;

interface ClaimValue {
  readonly v: number;
  readonly group: string;
  readonly instance: string;
  readonly node: string;
  readonly member: string;
  readonly url: string;
}

export function claimKey(claimId: string): string {
  return CLAIM_PREFIX + claimId;
}

export function claimValue(group: string, instance: string, node: NodeAddress): Buffer {
  const value: ClaimValue = { v: VERSION, group, instance, node: node.id, member: node.member, url: node.url };
  return Buffer.from(JSON.stringify(value));
}

function isClaimValue(value: unknown): value is ClaimValue {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v['v'] === VERSION && ['group', 'instance', 'node', 'member', 'url'].every((field) => typeof v[field] === 'string');
}

/** A record's claim, or undefined for records this version does not know (a later version's, or garbage). */
function parseClaim(record: DirectoryRecord, now: number): Claim | undefined {
  if (!record.key.startsWith(CLAIM_PREFIX) || record.value === null) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(record.value.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isClaimValue(parsed)) return undefined;
  return {
    claimId: record.key.slice(CLAIM_PREFIX.length),
    offset: record.offset,
    group: parsed.group,
    instance: parsed.instance,
    node: { id: parsed.node, member: parsed.member, url: parsed.url },
    readAt: now,
  };
}

const instanceKey = (group: string, instance: string): string => `${group}\u0000${instance}`;

export class DirectoryView {
  private readonly claims = new Map<string, Claim>();
  /** Per instance, its remaining claims in log order. */
  private readonly byInstance = new Map<string, Claim[]>();

  get size(): number {
    return this.claims.size;
  }

  /** Applies the next record of the log (records come in offset order). */
  apply(record: DirectoryRecord, now = Date.now()): Claim | undefined {
    if (!record.key.startsWith(CLAIM_PREFIX)) return undefined;
    const claimId = record.key.slice(CLAIM_PREFIX.length);
    if (record.value === null) return this.withdraw(claimId);
    const claim = parseClaim(record, now);
    // A claim id is written once; a repeat (never expected: the writer is idempotent) keeps its first place.
    if (!claim || this.claims.has(claimId)) return undefined;
    this.claims.set(claimId, claim);
    const key = instanceKey(claim.group, claim.instance);
    const list = this.byInstance.get(key) ?? [];
    list.push(claim);
    this.byInstance.set(key, list);
    return undefined;
  }

  /** The claim that holds the instance: the earliest one still in the log. */
  holder(group: string, instance: string): Claim | undefined {
    return this.byInstance.get(instanceKey(group, instance))?.[0];
  }

  get(claimId: string): Claim | undefined {
    return this.claims.get(claimId);
  }

  claimsOf(member: string): Claim[] {
    return [...this.claims.values()].filter((c) => c.node.member === member);
  }

  all(): Claim[] {
    return [...this.claims.values()];
  }

  /** The nodes holding at least one instance (one entry per member). */
  holders(): NodeAddress[] {
    const nodes = new Map<string, NodeAddress>();
    for (const list of this.byInstance.values()) {
      const node = list[0]?.node;
      if (node) nodes.set(node.member, node);
    }
    return [...nodes.values()];
  }

  clear(): void {
    this.claims.clear();
    this.byInstance.clear();
  }

  /** Removes a claim; returns it when it was known. */
  private withdraw(claimId: string): Claim | undefined {
    const claim = this.claims.get(claimId);
    if (!claim) return undefined;
    this.claims.delete(claimId);
    const key = instanceKey(claim.group, claim.instance);
    const rest = (this.byInstance.get(key) ?? []).filter((c) => c.claimId !== claimId);
    if (rest.length > 0) this.byInstance.set(key, rest);
    else this.byInstance.delete(key);
    return claim;
  }
}
