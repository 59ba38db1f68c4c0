/** Implements GroupAdminPort with the kafkajs admin client. */
import kafkajs from 'kafkajs';
import type { Admin } from 'kafkajs';
import type { GroupAdminPort, GroupDescription, TopicPartitionOffset } from '../core/model.js';
import { kafkaRetryingCall } from './kafka-errors.js';

const { AssignerProtocol } = kafkajs;

function assignmentOf(buffer: Buffer): { topic: string; partitions: number[] }[] {
  if (buffer.length === 0) return [];
  const decoded = AssignerProtocol.MemberAssignment.decode(buffer);
  return Object.entries(decoded?.assignment ?? {}).map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((a, b) => a - b) }));
}

export class KafkaGroupAdmin implements GroupAdminPort {
  constructor(private readonly admin: Admin) {}

  listGroupIds(): Promise<string[]> {
    return kafkaRetryingCall('list consumer groups', async () => (await this.admin.listGroups()).groups.map((g) => g.groupId).sort());
  }

  describeGroup(groupId: string): Promise<GroupDescription> {
    return kafkaRetryingCall(`describe group '${groupId}'`, async () => {
      const { groups } = await this.admin.describeGroups([groupId]);
      const group = groups[0]!;
      return {
        groupId,
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
