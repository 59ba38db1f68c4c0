/**
 * Instance placement for a deployment of any number of nodes. An instance lives on one node (the one holding its
 * Kafka consumer); its claim in the directory (instance-directory.ts) tells the others where. Nodes are alive while
 * they are members of the deployment's node group; a dead node's claims are revoked by whichever node notices first
 * — its URL refuses connections, or the group no longer lists it — so that the name can be created again.
 *
 * A node with no peers works as a single node does: its claims always win and nothing is ever elsewhere.
 */
import { randomUUID } from 'node:crypto';
import { DomainError, isDomainError } from '../errors/domain-error.js';
import { ClaimWatchers } from './claim-watchers.js';
import { FreshRead } from './fresh-read.js';
import { HeldClaims, instanceKey as keyOf } from './held-claims.js';
import { OnDemandMembership } from './on-demand-membership.js';
import { claimKey, claimValue, DirectoryView } from './instance-directory.js';
import type { Claim, NodeAddress } from './instance-directory.js';
import type { InstancePlacement, LocalInstances, Route } from './instance-placement.js';
import type { DirectoryLogPort, InstanceSummary, MembershipPort, PeerPort } from './placement-ports.js';

export interface PlacementOptions {
  readonly nodeId: string;
  readonly sessionTimeoutMs: number;
  /** Silence from the node group after which this node counts itself dropped (MembershipPort.silentMs). */
  readonly silenceLimitMs: number;
  /** How long a claim waits for this node to join its node group. */
  readonly joinWaitMs: number;
  /** How long a node that holds nothing stays in its node group. */
  readonly lingerMs: number;
  /** How long a claim made for a request that then created nothing is kept before it is released. */
  readonly unusedClaimMs?: number;
  readonly onBackgroundError: (error: unknown) => void;
  /** What changed hands, and why (logged at info). */
  readonly onNotice?: (message: string, details: Record<string, unknown>) => void;
}

/** Dead claims an instance may have to be revoked before a live one (or none) is found. */
const MAX_REVOCATIONS = 8;

export class DirectoryPlacement implements InstancePlacement {
  private readonly view = new DirectoryView();
  private readonly held = new HeldClaims();
  /** Claims being made, by instance: concurrent requests of this node share one. */
  private readonly claiming = new Map<string, Promise<Route>>();
  private readonly watchers: ClaimWatchers;
  private readonly activity: OnDemandMembership;
  private local: LocalInstances | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly caughtUp: FreshRead<void>;
  private readonly members: FreshRead<{ members: ReadonlySet<string>; askedAt: number }>;
  /** Settles when start() has: joined, or failed — then this node works alone. */
  private readonly ready: Promise<void>;
  private markReady: () => void = () => undefined;
  private alone = false;

  constructor(
    private readonly log: DirectoryLogPort,
    private readonly membership: MembershipPort,
    private readonly peers: PeerPort,
    private readonly options: PlacementOptions,
  ) {
    this.caughtUp = new FreshRead(() => this.log.catchUp());
    this.members = new FreshRead(async () => {
      const askedAt = Date.now();
      return { members: await this.membership.liveMembers(), askedAt };
    });
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.watchers = new ClaimWatchers(async (claim) => (await this.members.get()).members.has(claim.node.member));
    this.activity = new OnDemandMembership(
      membership,
      { rejoined: () => this.dropAll('rejoined the node group under a new member id'), lost: () => this.dropAll('no word from the node group for longer than its session') },
      {
        nodeId: options.nodeId,
        joinWaitMs: options.joinWaitMs,
        lingerMs: options.lingerMs,
        onMember: (member) => this.held.addMember(member),
        onIdle: () => this.log.idle(),
        peersHold: () => this.view.holders().some((node) => !this.held.isMyMember(node.member)),
      },
    );
  }

  attach(local: LocalInstances): void {
    this.local = local;
  }

  /** Reads the directory; claims made from then on name `url`. The node joins its node group at its first claim. */
  async start(url: string): Promise<void> {
    this.activity.setUrl(url);
    try {
      await this.log.start({ apply: (record) => this.onRecord(this.view.apply(record)), reset: () => this.onReset() });
      this.sweeper = setInterval(() => void this.sweep().catch(this.options.onBackgroundError), Math.max(1000, this.options.sessionTimeoutMs / 2));
      this.sweeper.unref();
    } catch (error) {
      // Without its directory the node still serves everything itself, as a single node does.
      this.alone = true;
      await this.log.stop().catch(() => undefined);
      throw error;
    } finally {
      this.markReady();
    }
  }

  /** Call after the local instances are closed (their claims released): leaves the node group. */
  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    await this.activity.stop().catch(this.options.onBackgroundError);
    await this.log.stop().catch(this.options.onBackgroundError);
  }

  /** The instances this node hosts (what it answers another node asking for its list). */
  hostedHere(): InstanceSummary[] {
    return this.local?.list() ?? [];
  }

  async route(group: string, instance: string, create: boolean): Promise<Route> {
    await this.ready;
    if (this.alone) return { kind: 'local' };
    this.requireContact();
    if (this.local?.hosts(group, instance)) return { kind: 'local' };
    // A claim this node is making for the instance decides.
    const claiming = this.claiming.get(keyOf(group, instance));
    if (claiming) return claiming;
    let holder = this.view.holder(group, instance);
    if (!holder) {
      // Created elsewhere a moment ago? Read the directory to its end before saying "nobody".
      await this.caughtUp.get();
      if (this.local?.hosts(group, instance)) return { kind: 'local' };
      holder = this.view.holder(group, instance);
    }
    for (let revoked = 0; holder && this.held.isMine(holder) && !this.held.isHeld(holder) && revoked < MAX_REVOCATIONS; revoked++) {
      // Ours, but not hosted (left over from a membership this node lost): nobody has it.
      await this.revoke(holder);
      holder = this.view.holder(group, instance);
    }
    if (holder && !this.held.isMine(holder)) return { kind: 'remote', holder };
    if (holder || !create) return { kind: 'local' };
    return this.claimOrFind(group, instance);
  }

  async claim(group: string, instance: string): Promise<boolean> {
    await this.ready;
    if (this.alone) return true;
    return (await this.claimOrFind(group, instance)).kind === 'local';
  }

  async release(group: string, instance: string): Promise<void> {
    if (this.alone) return;
    const claim = this.held.take(group, instance);
    if (claim) await this.held.releasingWhile(claim, () => this.revoke(claim));
    this.idleSoon();
  }

  async holderFailed(holder: Claim): Promise<boolean> {
    if (this.alone || this.held.isMine(holder) || (await this.peers.reachable(holder.node))) return false;
    await Promise.all(this.view.claimsOf(holder.node.member).map((claim) => this.revoke(claim, 'its URL does not answer')));
    return true;
  }

  async peerInstances(): Promise<InstanceSummary[]> {
    await this.ready;
    if (this.alone) return [];
    const nodes = this.view.holders().filter((node) => !this.held.isMyMember(node.member));
    const lists = await Promise.all(
      nodes.map((node) =>
        this.peers.instancesOn(node).catch((error: unknown) => {
          this.options.onBackgroundError(error);
          return [];
        }),
      ),
    );
    return lists.flat();
  }

  watch(claimId: string, gone: () => void): () => void {
    return this.watchers.watch(claimId, gone);
  }

  private claimOrFind(group: string, instance: string): Promise<Route> {
    const key = keyOf(group, instance);
    if (this.held.holds(group, instance)) return Promise.resolve({ kind: 'local' });
    let pending = this.claiming.get(key);
    if (!pending) {
      pending = this.claimNow(group, instance).finally(() => {
        this.claiming.delete(key);
        this.idleSoon();
      });
      this.claiming.set(key, pending);
    }
    return pending;
  }

  private async claimNow(group: string, instance: string): Promise<Route> {
    await this.caughtUp.get();
    const existing = await this.liveHolder(group, instance);
    if (existing) return this.held.isHeld(existing) ? { kind: 'local' } : { kind: 'remote', holder: existing };
    const me = await this.requireMembership();
    if (!me) return { kind: 'local' };
    const claimId = randomUUID();
    // Once written, the log decides: the earliest remaining claim of the instance holds it (read back by write()).
    await this.log.write(claimKey(claimId), claimValue(group, instance, me));
    const winner = this.view.holder(group, instance);
    if (winner?.claimId === claimId) {
      this.held.hold(winner);
      return { kind: 'local' };
    }
    const ours = this.view.get(claimId);
    if (ours) await this.revoke(ours);
    if (!winner) throw new DomainError('kafka_unavailable', `Consumer instance '${instance}' of group '${group}' could not be claimed; retry.`);
    return { kind: 'remote', holder: winner };
  }

  /** The instance's holder after revoking the dead claims ahead of it; undefined when nobody holds it. */
  private async liveHolder(group: string, instance: string): Promise<Claim | undefined> {
    for (let revoked = 0; revoked < MAX_REVOCATIONS; revoked++) {
      const holder = this.view.holder(group, instance);
      if (!holder || this.held.isHeld(holder) || !(await this.isDead(holder))) return holder;
      await this.revoke(holder, 'its node is gone (claiming the instance anew)');
    }
    throw new DomainError('kafka_unavailable', `Consumer instance '${instance}' of group '${group}' has too many stale claims; retry.`);
  }

  /** Dead: made under a membership this node lost, or its member is not in a member list asked for after it was read. */
  private async isDead(claim: Claim): Promise<boolean> {
    if (this.held.isMine(claim)) return !this.held.isHeld(claim);
    const { members, askedAt } = await this.members.get();
    if (askedAt >= claim.readAt && !members.has(claim.node.member)) return true;
    // Still listed (the group notices a killed node only after its session timeout): is anything there?
    return !(await this.peers.reachable(claim.node));
  }

  /**
   * A node the group has not heard from for longer than its session must not serve what it holds: the others have
   * taken it over (e.g. the node was frozen, or cut off from Kafka). It closes it all, as when it learns so later.
   */
  private requireContact(): void {
    if (this.held.size === 0 || !this.activity.current()) return;
    if (this.membership.silentMs() > this.options.silenceLimitMs) this.dropAll('no word from the node group for longer than its session');
  }

  /** This node as a member of its node group (joining it first if it is not one); undefined: it works alone. */
  private async requireMembership(): Promise<NodeAddress | undefined> {
    let me: NodeAddress;
    try {
      await this.log.ensure();
      me = await this.activity.require();
    } catch (error) {
      if (!isDomainError(error) || error.kind !== 'forbidden') throw error;
      // Kafka refuses this node its node group: it cannot share instances, and serves them itself.
      this.options.onNotice?.('Kafka refuses this node its node group: it works alone', { error: error.message });
      this.alone = true;
      return undefined;
    }
    if (this.membership.silentMs() > this.options.silenceLimitMs) throw new DomainError('kafka_unavailable', 'This node is not a member of its deployment right now (Kafka unreachable?); retry.');
    return me;
  }

  private async revoke(claim: Claim, reason?: string): Promise<void> {
    if (!this.view.get(claim.claimId)) return;
    if (reason) this.notice(`revoking the claim of node ${claim.node.id}: ${reason}`, claim);
    await this.log.write(claimKey(claim.claimId), null);
    this.idleSoon();
  }

  private notice(message: string, claim: Claim): void {
    this.options.onNotice?.(message, { group: claim.group, instance: claim.instance, claimId: claim.claimId, member: claim.node.member });
  }

  /** A claim withdrawn by another node (its holder was thought gone) takes the instance away from this one. */
  private onRecord(withdrawn: Claim | undefined): void {
    if (!withdrawn) return;
    this.watchers.withdrawn(withdrawn);
    if (!this.held.isHeld(withdrawn)) return;
    this.notice('another node revoked this node\'s claim: closing the instance here', withdrawn);
    this.held.take(withdrawn.group, withdrawn.instance);
    this.local?.drop(withdrawn.group, withdrawn.instance).catch(this.options.onBackgroundError);
    this.idleSoon();
  }

  /** The directory was lost and is empty again: this node claims what it hosts anew (and drops what it loses). */
  private onReset(): void {
    this.view.clear();
    for (const { group, instance } of this.held.takeAll()) void this.claimAgain(group, instance, 5);
  }

  private async claimAgain(group: string, instance: string, attempts: number): Promise<void> {
    // After the reset's own turn: what waited on the old log has failed by then.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    try {
      if ((await this.claimOrFind(group, instance)).kind !== 'local') await this.local?.drop(group, instance);
    } catch (error) {
      this.options.onBackgroundError(error);
      if (attempts > 1) return this.claimAgain(group, instance, attempts - 1);
      await this.local?.drop(group, instance);
    }
  }

  /** Every instance goes: the other nodes no longer count this node's claims. */
  private dropAll(why: string): void {
    if (this.held.size > 0) this.options.onNotice?.(`${why}: closing every instance here`, { instances: this.held.size });
    for (const claim of this.held.takeAll()) this.local?.drop(claim.group, claim.instance).catch(this.options.onBackgroundError);
    this.idleSoon();
  }

  /** Once this node holds and claims nothing for a while, it leaves its node group. */
  private idleSoon(): void {
    this.activity.idleSoon(() => this.held.size === 0 && this.claiming.size === 0);
  }

  /**
   * Now and then: revokes the claims of members the group no longer lists (read before it was asked), this node's
   * stale ones, and its claims that no instance came of (a request that claimed, then failed before creating).
   */
  private async sweep(): Promise<void> {
    if (this.view.size === 0) return;
    const { members, askedAt } = await this.members.get();
    for (const claim of this.held.heldLongerThan(this.options.unusedClaimMs ?? 30_000)) {
      const { group, instance } = claim;
      if (!this.claiming.has(keyOf(group, instance)) && !this.local?.hosts(group, instance)) await this.release(group, instance);
    }
    for (const claim of this.view.all()) {
      const stale = this.held.isMine(claim)
        ? !this.held.isHeld(claim) && !this.claiming.has(keyOf(claim.group, claim.instance)) && !this.held.isReleasing(claim)
        : claim.readAt <= askedAt && !members.has(claim.node.member);
      if (stale) await this.revoke(claim, this.held.isMine(claim) ? 'left over' : 'the node group no longer lists it');
    }
  }
}
