/**
 * kafkajs's default (Java-compatible, murmur2) partitioner, pinning its choice onto the message: a keyless message
 * keeps the partition it was first given when kafkajs retries, and the caller can read where each message went
 * (a produce response only carries each partition's base offset).
 */
import { Partitioners } from 'kafkajs';
import type { ICustomPartitioner, PartitionerArgs } from 'kafkajs';

export const pinningPartitioner: ICustomPartitioner = () => {
  const choose = Partitioners.DefaultPartitioner();
  return (args: PartitionerArgs): number => {
    const message = args.message as PartitionerArgs['message'] & { partition?: number };
    if (typeof message.partition === 'number') return message.partition;
    const partition = choose(args);
    message.partition = partition;
    return partition;
  };
};
