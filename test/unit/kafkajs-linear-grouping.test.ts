import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/project-paths.js';

const require = createRequire(import.meta.url);
const GROUPING = 'kafkajs/src/producer/groupMessagesPerPartition.js';

type Grouping = (input: { topic: string; partitionMetadata: unknown[]; messages: { partition: number; n: number }[]; partitioner: (a: { message: { partition: number } }) => number }) => unknown;

describe('the linear grouping of messages by partition kafkajs is given', () => {
  it("gives kafkajs's own result for any messages and partitions", async () => {
    // Loaded before our module, so this is kafkajs's original (ours then leaves the cache alone).
    const original = require(GROUPING) as Grouping;
    const { groupMessagesPerPartition } = await import('../../src/kafka/kafkajs-linear-grouping.js');
    const ours = groupMessagesPerPartition as unknown as Grouping;
    expect(ours).not.toBe(original);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 5 }), { maxLength: 200 }), fc.boolean(), (partitions, noMetadata) => {
        const input = {
          topic: 't',
          partitionMetadata: noMetadata ? [] : [{ partitionId: 0 }],
          messages: partitions.map((partition, n) => ({ partition, n })),
          partitioner: ({ message }: { message: { partition: number } }) => message.partition,
        };
        expect(ours(input)).toEqual(original(input));
      }),
    );
  });

  it('is what kafkajs loads when the proxy is imported first', () => {
    const script = [
      "await import('./src/proxy.ts');",
      "const { createRequire } = await import('node:module');",
      'const require = createRequire(import.meta.url);',
      "const { groupMessagesPerPartition } = await import('./src/kafka/kafkajs-linear-grouping.ts');",
      `console.log(require('${GROUPING}') === groupMessagesPerPartition && require.cache[require.resolve('kafkajs')] !== undefined);`,
    ].join('\n');
    const out = execFileSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), ['--input-type=module', '-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(out.trim()).toBe('true');
  });
});
