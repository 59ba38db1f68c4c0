/**
 * A node's membership of its deployment's node group (`_kafka-rest-ts.<deployment>.nodes`): a kafkajs consumer that
 * subscribes to the directory topic but is assigned nothing (every member gets an empty assignment), so all it does
 * is heartbeat. The coordinator's member list is the list of live nodes: a node that stops (LeaveGroup) leaves it at
 * once, one that dies within the session timeout. A rejoin under a new member id (the group had dropped this node)
 * and a long silence from the group are reported: either way other nodes may already hold this node's instances.
 */
import kafkajs from 'kafkajs';
import type { Admin, Consumer, Kafka, PartitionAssigner } from 'kafkajs';
import type { MembershipEvents, MembershipPort } from '../core/placement-ports.js';
import { DomainError } from '../errors/domain-error.js';
import { kafkaCall } from './kafka-errors.js';

const { AssignerProtocol } = kafkajs;

export interface NodeMembershipOptions {
  readonly groupId: string;
  /** The topic the member subscribes to (it is never assigned any of its partitions). */
  readonly topic: string;
  readonly sessionTimeoutMs: number;
  readonly onError: (error: unknown) => void;
}

const PROTOCOL = 'kafka-rest-nodes';
/**
 * Session timeouts of silence after which this node counts itself dropped from the group. A heartbeat is due every
 * fifth of a session; a rebalance blocks heartbeats for at most a session (its timeout here).
 */
export const SILENCE_LIMIT = 1.5;

/** Every member gets nothing: the group is only for liveness. */
const assignNothing: PartitionAssigner = () => ({
  name: PROTOCOL,
  version: 1,
  protocol: ({ topics }) => ({ name: PROTOCOL, metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }) }),
  assign: async ({ members }) =>
    members.map(({ memberId }) => ({ memberId, memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment: {}, userData: Buffer.alloc(0) }) })),
});

export class KafkaNodeMembership implements MembershipPort {
  private consumer: Consumer | undefined;
  private member: string | undefined;
  private lastContact = 0;
  /** When the rejoin under way began (the coordinator keeps a member that is rejoining). */
  private joiningSince: number | undefined;
  private lost = false;
  private watchdog: NodeJS.Timeout | undefined;
  /** Ends a join still under way when the node leaves. */
  private abandonJoin: ((error: Error) => void) | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly options: NodeMembershipOptions,
  ) {}

  async join(events: MembershipEvents): Promise<string> {
    const { sessionTimeoutMs } = this.options;
    const heartbeatMs = Math.max(500, Math.floor(sessionTimeoutMs / 5));
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: sessionTimeoutMs,
      // How long a rebalance waits for the members to rejoin. A dead member is dropped at the end of its session
      // whatever this says; a short one only made slow (loaded) members be dropped and rejoin, rebalance after
      // rebalance.
      rebalanceTimeout: this.rebalanceTimeoutMs,
      heartbeatInterval: heartbeatMs,
      // With nothing assigned the consumer sleeps this long between heartbeats.
      maxWaitTimeInMs: Math.floor(heartbeatMs / 2),
      partitionAssigners: [assignNothing],
      allowAutoTopicCreation: false,
      retry: { restartOnFailure: () => Promise.resolve(this.consumer === consumer) },
    });
    this.consumer = consumer;
    const joined = new Promise<string>((resolve, reject) => {
      this.abandonJoin = reject;
      const contact = (): void => {
        if (this.consumer !== consumer) return;
        this.lastContact = Date.now();
        this.joiningSince = undefined;
      };
      consumer.on(consumer.events.HEARTBEAT, contact);
      consumer.on(consumer.events.REBALANCING, () => {
        if (this.consumer !== consumer) return;
        // After a long silence (e.g. the process was frozen) the rejoin does not make up for it.
        this.checkSilence(events);
        this.joiningSince ??= Date.now();
      });
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        // One left already (a restart that was under way when leave() ran) disconnects itself again.
        if (this.consumer !== consumer) return void consumer.disconnect().catch(() => undefined);
        contact();
        const previous = this.member;
        this.member = payload.memberId;
        if ((previous !== undefined && previous !== payload.memberId) || this.lost) {
          this.lost = false;
          events.rejoined(payload.memberId);
        }
        resolve(payload.memberId);
      });
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        this.options.onError(payload.error);
        // kafkajs restarts the consumer after other failures; without the right to join, nothing will change.
        if (/AUTHORIZATION_FAILED/.test((payload.error as { type?: string }).type ?? '')) {
          reject(new DomainError('forbidden', `Kafka does not let this node join the node group '${this.options.groupId}': ${payload.error.message}`));
        }
      });
    });
    try {
      await kafkaCall(`join the node group '${this.options.groupId}'`, async () => {
        await consumer.connect();
        await consumer.subscribe({ topics: [this.options.topic] });
        // Resolves once joined, or once the first attempt failed (kafkajs then restarts the consumer itself).
        await consumer.run({ eachBatch: async () => undefined });
      });
    } catch (error) {
      await this.leave().catch(() => undefined);
      throw error;
    }
    // Silent for longer than a session (and the rebalance that may have started it): dropped from the group by now.
    this.watchdog = setInterval(() => this.checkSilence(events), 1000);
    this.watchdog.unref();
    return joined;
  }

  /** While rejoining, the node counts as heard from until the rebalance could have ended without it. */
  silentMs(): number {
    const now = Date.now();
    if (this.joiningSince !== undefined) return Math.max(0, now - (this.joiningSince + this.rebalanceTimeoutMs));
    return now - this.lastContact;
  }

  private checkSilence(events: MembershipEvents): void {
    if (this.lost || this.member === undefined || this.silentMs() <= SILENCE_LIMIT * this.options.sessionTimeoutMs) return;
    this.lost = true;
    events.lost();
  }

  private get rebalanceTimeoutMs(): number {
    return Math.max(30_000, 3 * this.options.sessionTimeoutMs);
  }

  async liveMembers(): Promise<ReadonlySet<string>> {
    const { groups } = await kafkaCall(`describe the node group '${this.options.groupId}'`, () => this.admin.describeGroups([this.options.groupId]));
    return new Set((groups[0]?.members ?? []).map((m) => m.memberId));
  }

  async leave(): Promise<void> {
    clearInterval(this.watchdog);
    this.abandonJoin?.(new DomainError('kafka_unavailable', `This node left the node group '${this.options.groupId}' before it had joined it.`));
    this.abandonJoin = undefined;
    const consumer = this.consumer;
    this.consumer = undefined;
    this.member = undefined;
    this.lost = false;
    this.joiningSince = undefined;
    await consumer?.disconnect();
  }

}
