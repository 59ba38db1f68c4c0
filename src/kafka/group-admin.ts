/** Implements GroupAdminPort with the kafkajs admin client. */
import kafkajs from 'kafkajs';
import type { Admin } from 'kafkajs';
import type { GroupAdminPort, GroupDescription, TopicPartitionOffset } from '../core/model.js';
import type { GroupCoordinatorClient } from './group-coordinator.js';
import { kafkaRetryingCall } from './kafka-errors.js';

const { AssignerProtocol } = kafkajs;

function assignmentOf(buffer: Buffer): { topic: string; partitions: number[] }[] {
  if (buffer.length === 0) return [];
  const decoded = AssignerProtocol.MemberAssignment.decode(buffer);
  return Object.entries(decoded?.assignment ?? {}).map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((a, b) => a - b) }));
}

export class KafkaGroupAdmin implements GroupAdminPort {
  constructor(
    private readonly admin: Admin,
    private readonly coordinators: GroupCoordinatorClient,
  ) {}

  listGroupIds(): Promise<string[]> {
    return kafkaRetryingCall('list consumer groups', async () => (await this.admin.listGroups()).groups.map((g) => g.groupId).sort());
  }

  async describeGroup(groupId: string): Promise<GroupDescription> {
    const coordinatorId = await this.coordinators.coordinatorId(groupId);
    return kafkaRetryingCall(`describe group '${groupId}'`, async () => {
      const { groups } = await this.admin.describeGroups([groupId]);
      const group = groups[0]!;
      return {
        groupId,
        // DescribeGroups is the classic protocol's request: the groups it describes are classic ones.
        type: 'CLASSIC',
        coordinatorId,
        state: group.state,
        protocolType: group.protocolType,
        protocol: group.protocol,
        members: group.members.map((m) => ({
          memberId: m.memberId,
          clientId: m.clientId,
          instanceId: null,
          assignment: assignmentOf(m.memberAssignment),
        })),
      };
    });
  }

  committedOffsets(groupId: string): Promise<TopicPartitionOffset[]> {
    return kafkaRetryingCall(`fetch offsets of group '${groupId}'`, async () => {
      const topics = await this.admin.fetchOffsets({ groupId });
      return topics.flatMap(({ topic, partitions }) =>
        partitions.filter((p) => p.offset !== '-1').map((p) => ({ topic, partition: p.partition, offset: p.offset })),
      );
    });
  }
}
