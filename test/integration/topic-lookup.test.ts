import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { rememberAdminCluster, withInternalCluster } from '../../src/kafka/kafkajs-internals.js';
import { fetchTopicOffsets, topicPartitionsIfExists } from '../../src/kafka/topic-lookup.js';
import { uniqueTopic } from './support/proxy-under-test.js';

/**
 * The proxy's admin client is shared by every request: consumer instance creation reads the end of the instance
 * directory while other requests look topics up. kafkajs replaces the admin's metadata with each lookup's answer;
 * one that left out the directory made offset reads fail with a TypeError, answered as HTTP 500 (seen as some
 * thirty 500s in 1,000 concurrent consumer creations).
 */
describe('topic lookups on the shared admin client', () => {
  const kafka = new Kafka({ brokers: [inject('bootstrapServers')], logLevel: logLevel.NOTHING });
  const { client: admin, cluster } = withInternalCluster(kafka, () => kafka.admin());
  rememberAdminCluster(admin, cluster);
  const directory = uniqueTopic('lookup-directory');
  const other = uniqueTopic('lookup-other');

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: directory }, { topic: other }], waitForLeaders: true });
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [directory, other] });
    await admin.disconnect();
  });

  it('answer every offset read while other topics are looked up concurrently', async () => {
    const failures: string[] = [];
    let offsetReads = 0;
    let lookups = 0;
    const until = Date.now() + 4_000;
    const worker = async (reader: boolean): Promise<void> => {
      while (Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
        try {
          if (reader) {
            const partitions = await fetchTopicOffsets(admin, directory);
            expect(partitions.map((p) => p.partition)).toEqual([0]);
            offsetReads++;
          } else {
            expect((await topicPartitionsIfExists(admin, other))?.map((p) => p.partitionId)).toEqual([0]);
            lookups++;
          }
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    await Promise.all(Array.from({ length: 64 }, (_, i) => worker(i % 2 === 0)));
    expect(failures.slice(0, 3)).toEqual([]);
    expect(offsetReads).toBeGreaterThan(100);
    expect(lookups).toBeGreaterThan(100);
    expect(await topicPartitionsIfExists(admin, uniqueTopic('never-made'))).toBeUndefined();
  }, 30_000);
});
