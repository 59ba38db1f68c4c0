import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { rememberAdminCluster, withInternalCluster, type InternalCluster } from '../../src/kafka/kafkajs-internals.js';
import { withTopicTargets } from '../../src/kafka/topic-lookup.js';

/** A kafkajs admin client, never connected, and the Cluster whose metadata targets it names. */
function adminWithCluster(): { admin: ReturnType<Kafka['admin']>; cluster: InternalCluster } {
  const kafka = new Kafka({ brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING });
  const { client: admin, cluster } = withInternalCluster(kafka, () => kafka.admin());
  rememberAdminCluster(admin, cluster);
  return { admin, cluster };
}

/** What kafkajs's fetchTopicOffsets does to the targets before asking the broker. */
function addTargets(cluster: InternalCluster, topics: readonly string[]): void {
  for (const topic of topics) cluster.targetTopics.add(topic);
}

describe('admin metadata targets of offset lookups', () => {
  it('are dropped once the lookup that added them is done, failed or not', async () => {
    const { admin, cluster } = adminWithCluster();
    await expect(withTopicTargets(admin, ['a', 'b'], async () => (addTargets(cluster, ['a', 'b']), 'done'))).resolves.toBe('done');
    expect([...cluster.targetTopics]).toEqual([]);
    await expect(
      withTopicTargets(admin, ['c'], async () => {
        addTargets(cluster, ['c']);
        throw new Error('broker said no');
      }),
    ).rejects.toThrow('broker said no');
    expect([...cluster.targetTopics]).toEqual([]);
  });

  it('stay while another lookup of the same topic is still running', async () => {
    const { admin, cluster } = adminWithCluster();
    let finishSlow: () => void = () => undefined;
    const slow = withTopicTargets(admin, ['t'], () => new Promise<void>((resolve) => (addTargets(cluster, ['t']), (finishSlow = resolve))));
    await withTopicTargets(admin, ['t'], async () => addTargets(cluster, ['t']));
    expect(cluster.targetTopics.has('t')).toBe(true);
    finishSlow();
    await slow;
    expect(cluster.targetTopics.has('t')).toBe(false);
  });

  it('keep topics that were targets before the lookup, and follow kafkajs replacing the set', async () => {
    const { admin, cluster } = adminWithCluster();
    addTargets(cluster, ['kept']);
    await withTopicTargets(admin, ['kept', 'new'], async () => {
      cluster.targetTopics = new Set([...cluster.targetTopics, 'new']);
    });
    expect([...cluster.targetTopics]).toEqual(['kept']);
  });
});
