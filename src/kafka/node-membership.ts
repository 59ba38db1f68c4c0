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
  /** The longest the first join may take. */
  readonly joinTimeoutMs: number;
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
  private lost = false;
  private watchdog: NodeJS.Timeout | undefined;

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
      // A rebalance waits this long for members to rejoin: a dead member does not hold the others up for longer.
      rebalanceTimeout: sessionTimeoutMs,
      heartbeatInterval: heartbeatMs,
      // With nothing assigned the consumer sleeps this long between heartbeats.
      maxWaitTimeInMs: Math.floor(heartbeatMs / 2),
      partitionAssigners: [assignNothing],
      allowAutoTopicCreation: false,
      retry: { restartOnFailure: () => Promise.resolve(this.consumer === consumer) },
    });
    this.consumer = consumer;
    const joined = new Promise<string>((resolve) => {
      const contact = (): void => {
        this.lastContact = Date.now();
      };
      consumer.on(consumer.events.HEARTBEAT, contact);
      consumer.on(consumer.events.REBALANCING, contact);
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        contact();
        const previous = this.member;
        this.member = payload.memberId;
        if ((previous !== undefined && previous !== payload.memberId) || this.lost) {
          this.lost = false;
          events.rejoined(payload.memberId);
        }
        resolve(payload.memberId);
      });
      consumer.on(consumer.events.CRASH, ({ payload }) => this.options.onError(payload.error));
    });
    let member: string;
    try {
      await kafkaCall(`join the node group '${this.options.groupId}'`, async () => {
        await consumer.connect();
        await consumer.subscribe({ topics: [this.options.topic] });
        await consumer.run({ eachBatch: async () => undefined });
      });
      member = await this.firstJoin(joined);
    } catch (error) {
      await this.leave().catch(() => undefined);
      throw error;
    }
    // Silent for longer than a session (and the rebalance that may have started it): dropped from the group by now.
    this.watchdog = setInterval(() => {
      if (this.lost || this.silentMs() <= SILENCE_LIMIT * sessionTimeoutMs) return;
      this.lost = true;
      events.lost();
    }, 1000);
    this.watchdog.unref();
    return member;
  }

  silentMs(): number {
    return Date.now() - this.lastContact;
  }

  async liveMembers(): Promise<ReadonlySet<string>> {
    const { groups } = await kafkaCall(`describe the node group '${this.options.groupId}'`, () => this.admin.describeGroups([this.options.groupId]));
    return new Set((groups[0]?.members ?? []).map((m) => m.memberId));
  }

  async leave(): Promise<void> {
    clearInterval(this.watchdog);
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
  }

  private async firstJoin(joined: Promise<string>): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new DomainError('kafka_unavailable', `This node did not join its node group '${this.options.groupId}' within ${this.options.joinTimeoutMs} ms.`)),
        this.options.joinTimeoutMs,
      );
    });
    try {
      return await Promise.race([joined, expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}
