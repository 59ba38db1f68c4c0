/**
 * Seed 002's v3 walkthrough, command for command: each curl line is copied from the seed and run by bash against
 * a broker of its own (so `jsontest` and its offsets are exactly the seed's), with only the host and the cluster
 * id substituted. kcat then reads what the commands wrote.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalBroker } from '../../src/kafka/local-broker.js';
import type { LocalBroker } from '../../src/kafka/local-broker.js';
import { startProxyUnderTest } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';

const run = promisify(execFile);
const SEED_HOST = 'http://localhost:8082';
const SEED_CLUSTER = 'xFhUvurESIeeCI87SXWR-Q';

const SEED_COMMANDS = {
  listClusters: String.raw`curl http://localhost:8082/v3/clusters`,
  listTopics: String.raw`curl http://localhost:8082/v3/clusters/xFhUvurESIeeCI87SXWR-Q/topics`,
  createTopic: String.raw`curl -X POST -H "Content-Type:application/json" -d '{"topic_name":"jsontest"}' \
http://localhost:8082/v3/clusters/xFhUvurESIeeCI87SXWR-Q/topics`,
  produceJson: String.raw`curl -X POST -H "Content-Type: application/json" \
-d '{"value":{"type":"JSON","data":{"name":"testUser"}}}' \
http://localhost:8082/v3/clusters/xFhUvurESIeeCI87SXWR-Q/topics/jsontest/records`,
  produceTwo: String.raw`curl -X POST -H "Content-Type: application/json" \
-d '{"value":{"type":"JSON","data":"ONE"}} {"value":{"type":"JSON","data":"TWO"}}' \
http://localhost:8082/v3/clusters/xFhUvurESIeeCI87SXWR-Q/topics/jsontest/records`,
  produceString: String.raw`curl -X POST -H "Content-Type: application/json" \
-d '{"value":{"type":"STRING","data":"REST"}}' \
http://localhost:8082/v3/clusters/xFhUvurESIeeCI87SXWR-Q/topics/jsontest/records`,
  batch: String.raw`curl -X POST -H "Content-Type: application/json" \
-d '{"entries":[{"id":"first","value":{"type":"JSON","data":"ONE"}}, {"id":"second","value":{"type":"JSON","data":"TWO"}}]}' \
http://localhost:8082/v3/clusters/xFhUvurESIeeCI87SXWR-Q/topics/jsontest/records:batch`,
  // The seed shows only the answer of this one ("successes and failures ... in separate arrays"); this is the
  // request that answer describes: entry "1" a STRING, entry "2" BINARY data that is not base64.
  batchWithInvalidBase64: String.raw`curl -X POST -H "Content-Type: application/json" \
-d '{"entries":[{"id":"1","value":{"type":"STRING","data":"Message"}}, {"id":"2","value":{"type":"BINARY","data":"Message$"}}]}' \
http://localhost:8082/v3/clusters/xFhUvurESIeeCI87SXWR-Q/topics/jsontest/records:batch`,
};

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('seed 002: the Confluent v3 walkthrough, verbatim', { timeout: 120_000 }, () => {
  let broker: LocalBroker;
  let t: ProxyUnderTest;
  let clusterId: string;

  beforeAll(async () => {
    broker = await startLocalBroker({ log: () => undefined });
    clusterId = broker.clusterId;
    t = await startProxyUnderTest({ 'bootstrap.servers': broker.bootstrapServers });
  }, 180_000);
  afterAll(async () => {
    await t?.proxy.stop();
    await broker?.stop();
  });

  /** Runs a seed command with this run's host and cluster id; returns what curl printed. */
  async function seed(command: string, curlOptions = ''): Promise<string> {
    const ours = command.replaceAll(SEED_HOST, t.baseUrl).replaceAll(SEED_CLUSTER, clusterId);
    const { stdout } = await run('bash', ['-c', `${ours} --silent --show-error ${curlOptions}`]);
    return stdout;
  }
  /** What the seed's documented answers look like once host and cluster id are ours. */
  const url = (path: string): string => `${t.baseUrl}/v3/clusters/${clusterId}${path}`;
  const jsonLines = (text: string): Record<string, unknown>[] => text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

  const jsontest = () => ({
    kind: 'KafkaTopic',
    metadata: { self: url('/topics/jsontest'), resource_name: `crn:///kafka=${clusterId}/topic=jsontest` },
    cluster_id: clusterId,
    topic_name: 'jsontest',
    is_internal: false,
    replication_factor: 1,
    partitions_count: 1,
    partitions: { related: url('/topics/jsontest/partitions') },
    configs: { related: url('/topics/jsontest/configs') },
    partition_reassignments: { related: url('/topics/jsontest/partitions/-/reassignment') },
  });

  it('walks through clusters, topics, produce (single, concatenated, STRING) and batches as documented', async () => {
    expect(JSON.parse(await seed(SEED_COMMANDS.listClusters))).toEqual({
      kind: 'KafkaClusterList',
      metadata: { self: `${t.baseUrl}/v3/clusters`, next: null },
      data: [
        {
          kind: 'KafkaCluster',
          metadata: { self: url(''), resource_name: `crn:///kafka=${clusterId}` },
          cluster_id: clusterId,
          controller: { related: url('/brokers/1') }, // the seed's broker is 0, ours is 1
          acls: { related: url('/acls') },
          brokers: { related: url('/brokers') },
          broker_configs: { related: url('/broker-configs') },
          consumer_groups: { related: url('/consumer-groups') },
          topics: { related: url('/topics') },
          partition_reassignments: { related: url('/topics/-/partitions/-/reassignment') },
        },
      ],
    });

    // The seed lists topics that already exist; on our fresh broker there are none yet, so list again after creating.
    expect(JSON.parse(await seed(SEED_COMMANDS.listTopics))).toEqual({ kind: 'KafkaTopicList', metadata: { self: url('/topics'), next: null }, data: [] });
    expect(JSON.parse(await seed(SEED_COMMANDS.createTopic))).toEqual(jsontest());
    expect(JSON.parse(await seed(SEED_COMMANDS.listTopics))).toEqual({ kind: 'KafkaTopicList', metadata: { self: url('/topics'), next: null }, data: [jsontest()] });

    const delivered = (offset: number, value: { type: string; size: number }) => ({
      cluster_id: clusterId,
      topic_name: 'jsontest',
      partition_id: 0,
      offset,
      timestamp: expect.stringMatching(ISO_TIMESTAMP),
      value,
    });
    const report = (offset: number, value: { type: string; size: number }) => ({ error_code: 200, ...delivered(offset, value) });
    expect(jsonLines(await seed(SEED_COMMANDS.produceJson))).toEqual([report(0, { type: 'JSON', size: 19 })]);
    expect(jsonLines(await seed(SEED_COMMANDS.produceTwo))).toEqual([report(1, { type: 'JSON', size: 5 }), report(2, { type: 'JSON', size: 5 })]);
    // (The seed prints offset 2 here, a copy slip: the two records before took 1 and 2.)
    expect(jsonLines(await seed(SEED_COMMANDS.produceString))).toEqual([report(3, { type: 'STRING', size: 4 })]);

    expect(JSON.parse(await seed(SEED_COMMANDS.batch))).toEqual({
      successes: [
        { id: 'first', ...delivered(4, { type: 'JSON', size: 5 }) },
        { id: 'second', ...delivered(5, { type: 'JSON', size: 5 }) },
      ],
      failures: [],
    });

    const [body, status] = (await seed(SEED_COMMANDS.batchWithInvalidBase64, `--write-out '\n%{http_code}'`)).trim().split('\n');
    expect(status).toBe('207');
    expect(JSON.parse(body!)).toEqual({
      successes: [{ id: '1', ...delivered(6, { type: 'STRING', size: 7 }) }],
      failures: [{ id: '2', error_code: 400, message: expect.stringMatching(/base64/) }],
    });

    // What a native client reads of all that: seven records, the failed entry nowhere.
    const { stdout } = await run('kcat', ['-C', '-b', broker.bootstrapServers, '-t', 'jsontest', '-e', '-q', '-f', '%o %s\n']);
    expect(stdout.trim().split('\n')).toEqual(['0 {"name":"testUser"}', '1 "ONE"', '2 "TWO"', '3 REST', '4 "ONE"', '5 "TWO"', '6 Message']);
  });
});
