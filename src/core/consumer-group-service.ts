/** Consumer groups of the cluster: descriptions, members, and how far behind the log end each group is. */
import { DomainError } from '../errors/domain-error.js';
import type { ClusterAdminPort, GroupAdminPort, GroupDescription, GroupMember } from './model.js';

export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  readonly currentOffset: bigint;
  readonly logEndOffset: bigint;
  readonly lag: bigint;
  /** The member the partition is assigned to, if any. */
  readonly member?: GroupMember;
}

export class ConsumerGroupService {
  constructor(
    private readonly groups: GroupAdminPort,
    private readonly admin: ClusterAdminPort,
  ) {}

  list(): Promise<string[]> {
    return this.groups.listGroupIds();
  }

  async get(groupId: string): Promise<GroupDescription> {
    if (!(await this.groups.listGroupIds()).includes(groupId)) {
      throw new DomainError('route_not_found', `Consumer group '${groupId}' cannot be found.`);
    }
    return this.groups.describeGroup(groupId);
  }

  async describeAll(): Promise<GroupDescription[]> {
    const ids = await this.groups.listGroupIds();
    return Promise.all(ids.map((id) => this.groups.describeGroup(id)));
  }

  /** One entry per partition the group has committed an offset for, sorted by topic and partition. */
  async lags(groupId: string): Promise<PartitionLag[]> {
    const group = await this.get(groupId);
    const committed = await this.groups.committedOffsets(groupId);
    const ends = new Map<string, Map<number, string>>();
    for (const topic of new Set(committed.map((c) => c.topic))) {
      ends.set(topic, new Map((await this.admin.partitionOffsets(topic)).map((o) => [o.partition, o.latest])));
    }
    const ownerOf = (topic: string, partition: number): GroupMember | undefined =>
      group.members.find((m) => m.assignment.some((a) => a.topic === topic && a.partitions.includes(partition)));
    return committed
      .map((c) => {
        const current = BigInt(c.offset);
        const end = BigInt(ends.get(c.topic)?.get(c.partition) ?? c.offset);
        const member = ownerOf(c.topic, c.partition);
        return { topic: c.topic, partition: c.partition, currentOffset: current, logEndOffset: end, lag: end > current ? end - current : 0n, ...(member ? { member } : {}) };
      })
      .sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  }
}
