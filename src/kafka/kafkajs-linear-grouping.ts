/**
 * kafkajs 2.2.4 groups a send's messages by partition in quadratic time: it copies the partition's array for every
 * message (src/producer/groupMessagesPerPartition.js). At the size of one of our coalesced requests (thousands of
 * records) that cost 3.9 µs per message, more than encoding it. Importing this module puts a linear version with
 * the same result into Node's module cache under that file's name, so kafkajs's producer picks it up when kafkajs
 * loads. It must be imported before anything loads kafkajs (src/main.ts and src/proxy.ts import it first); when
 * kafkajs was loaded already nothing changes, only the speed.
 */
import Module, { createRequire } from 'node:module';
import { assertPinnedVersion } from './kafkajs-internals.js';

interface GroupingInput<M> {
  readonly topic: string;
  readonly partitionMetadata: readonly unknown[];
  readonly messages: readonly M[];
  readonly partitioner: (args: { topic: string; partitionMetadata: readonly unknown[]; message: M }) => number;
}

/** kafkajs's groupMessagesPerPartition, in one pass: partition → its messages, in send order. */
export function groupMessagesPerPartition<M>({ topic, partitionMetadata, messages, partitioner }: GroupingInput<M>): Record<string, M[]> {
  if (partitionMetadata.length === 0) return {};
  const result: Record<string, M[]> = {};
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    (result[partition] ??= []).push(message);
  }
  return result;
}

const GROUPING_MODULE = 'kafkajs/src/producer/groupMessagesPerPartition.js';

function install(): void {
  assertPinnedVersion();
  const require = createRequire(import.meta.url);
  const filename = require.resolve(GROUPING_MODULE);
  if (require.cache[filename]) return;
  const module = new Module(filename);
  module.filename = filename;
  module.loaded = true;
  module.exports = groupMessagesPerPartition;
  require.cache[filename] = module;
}

install();
