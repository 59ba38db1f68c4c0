/**
 * A node is a member of its deployment's node group while it holds consumer instances, or while other nodes do: it
 * joins before its first claim, and leaves once neither it nor any other node has held one for a while (then its
 * writer to the directory closes too). A node with no peers that hosts no consumer instance therefore uses no more
 * of Kafka than a single node always did — no group, no extra connection — while it still reads the directory and
 * forwards requests to the nodes that hold instances. Staying a member while peers hold instances spares its next
 * claim a join: a join waits for the group's rebalance, which waits for a member that just died until its session
 * ends.
 */
import { DomainError } from '../errors/domain-error.js';
import type { NodeAddress } from './instance-directory.js';
import type { MembershipEvents, MembershipPort } from './placement-ports.js';
import { within } from './within.js';

export interface OnDemandOptions {
  readonly nodeId: string;
  /** How long a claim waits for the join before answering 503 (the join goes on). */
  readonly joinWaitMs: number;
  /** How long a node that holds nothing stays a member (a join costs a rebalance of the group). */
  readonly lingerMs: number;
  /** Every member id this node gets. */
  readonly onMember: (member: string) => void;
  /** After leaving (and whenever idle): closes what only a member needs. */
  readonly onIdle: () => Promise<void>;
  /** Whether other nodes hold instances (then this one stays a member). */
  readonly peersHold: () => boolean;
}

export class OnDemandMembership {
  private joining: Promise<string> | undefined;
  private member: string | undefined;
  private leaving: Promise<void> | undefined;
  private linger: NodeJS.Timeout | undefined;
  private url = '';

  constructor(
    private readonly port: MembershipPort,
    private readonly events: MembershipEvents,
    private readonly options: OnDemandOptions,
  ) {}

  setUrl(url: string): void {
    this.url = url;
  }

  /** This node as its claims name it, while it is a member. */
  current(): NodeAddress | undefined {
    return this.member === undefined ? undefined : { id: this.options.nodeId, member: this.member, url: this.url };
  }

  /** Joins when not a member yet; 503 when the join takes longer than joinWaitMs (it goes on meanwhile). */
  async require(): Promise<NodeAddress> {
    clearTimeout(this.linger);
    await this.leaving;
    if (!this.joining) {
      const attempt: Promise<string> = this.port.join({ rejoined: (m) => this.rejoined(m), lost: () => this.events.lost() }).then(
        (member) => {
          // Left meanwhile: leave() disconnects this attempt.
          if (this.joining === attempt) {
            this.member = member;
            this.options.onMember(member);
          }
          return member;
        },
        (error: unknown) => {
          if (this.joining === attempt) this.joining = undefined;
          throw error;
        },
      );
      this.joining = attempt;
    }
    const joined = await within(this.joining, this.options.joinWaitMs);
    const me = this.current();
    if (joined === undefined || !me) throw new DomainError('kafka_unavailable', 'This node is not a member of its deployment yet (is Kafka reachable?); retry.');
    return me;
  }

  /** Leaves after lingerMs if `idle()` says so by then and no other node holds instances (else looks again later). */
  idleSoon(idle: () => boolean): void {
    clearTimeout(this.linger);
    this.linger = setTimeout(() => {
      if (!idle()) return;
      if (this.options.peersHold()) this.idleSoon(idle);
      else void this.leave();
    }, this.options.lingerMs);
    this.linger.unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.linger);
    await this.leave();
  }

  private rejoined(member: string): void {
    this.member = member;
    this.options.onMember(member);
    this.events.rejoined(member);
  }

  private leave(): Promise<void> {
    const joining = this.joining;
    this.joining = undefined;
    this.member = undefined;
    this.leaving ??= (async () => {
      if (joining) {
        await joining.catch(() => undefined);
        await this.port.leave();
      }
      await this.options.onIdle();
    })().finally(() => {
      this.leaving = undefined;
    });
    return this.leaving;
  }
}
