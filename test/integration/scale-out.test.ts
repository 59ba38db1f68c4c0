/**
 * Three proxy processes, one deployment, behind HAProxy balancing round robin with no sticky sessions: consumer
 * instances of both dialects that have them work through the balancer as on one node (each call answered by
 * whichever node got it, forwarded to the node holding the instance), records are delivered once (kafkajs is the
 * witness), creation races have one winner, forwarding keeps the caller's identity and refuses unsigned requests,
 * stateless requests see what another node just did, and a soak leaves nothing behind.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { portOf, tcpConnectionsTo } from '../faults/support/fault-kit.js';
import { CallLog, startDeployment, stopEverythingStarted } from './support/deployment-under-test.js';
import { Scrape } from './support/prometheus.js';
import type { DeploymentUnderTest } from './support/deployment-under-test.js';
import { basic, USERS, writeUsersFile } from './support/users-file.js';

const run = promisify(execFile);
const V2 = 'application/vnd.kafka.v2+json';
const suffix = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
const TOPIC = `scale-records-${suffix}`;
const UPSTASH_TOPIC = `scale-upstash-${suffix}`;
const RECORDS = 60;
const auth = { authorization: basic(USERS.full) };

function expectStatus(call: { status: number }, status: number): void {
  expect(call.status, JSON.stringify(call)).toBe(status);
}

const T0 = Date.now();

/** Committed offsets of the group summed over the topic's partitions. */
async function committedTotal(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return offsets!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

describe('three nodes behind a round-robin balancer', { timeout: 180_000 }, () => {
  const bootstrapServers = inject('bootstrapServers');
  const kafka = new Kafka({ brokers: [bootstrapServers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer();
  let deployment: DeploymentUnderTest;
  let balancer: string;

  const produce = async (topic: string, prefix: string, count: number): Promise<string[]> => {
    const values = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
    await producer.send({ topic, messages: values.map((value, i) => ({ key: `k${i}`, value })) });
    return values;
  };

  beforeAll(async () => {
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({ waitForLeaders: true, topics: [TOPIC, UPSTASH_TOPIC].map((topic) => ({ topic, numPartitions: 3 })) });
    deployment = await startDeployment(3, bootstrapServers, { KAFKA_REST_AUTH_FILE: writeUsersFile(), KAFKA_REST_DEPLOYMENT_SESSION_TIMEOUT_MS: '6000',
      // A few records per call, so that the records are spread over many calls (and nodes).
      KAFKA_REST_CONSUMER_MAX_POLL_RECORDS: '4', ...(process.env['SCALE_DEBUG'] ? { KAFKA_REST_LOG_LEVEL: process.env['SCALE_DEBUG'] } : {}) });
    balancer = deployment.balancer.url;
  }, 180_000);

  afterAll(async () => {
    if (process.env['SCALE_DEBUG']) {
      for (const n of deployment?.nodes ?? []) console.log(n.output().split('\n').filter((l) => !l.includes('"msg":"request"') && !l.includes('"component":"kafkajs"')).join('\n'));
      const { stdout } = await run('kcat', ['-C', '-b', bootstrapServers, '-t', `_kafka-rest-ts.${deployment.name}.instances`, '-o', 'beginning', '-e', '-q', '-f', 'DIR %o %k %S %s\n']);
      console.log(stdout);
    }
    try {
      await deployment?.stop();
    } finally {
      await stopEverythingStarted();
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    }
  });

  it('a v2 consumer: created, subscribed, polled, committed and deleted through the balancer, every record once', async () => {
    const log = new CallLog({ ...auth, accept: V2 });
    const group = `scale-v2-${suffix}`;
    const produced = await produce(TOPIC, 'v2', RECORDS);
    const created = await log.send('create', `${balancer}/consumers/${group}`, {
      method: 'POST',
      headers: { 'content-type': V2 },
      body: { name: 'c1', format: 'binary', 'auto.offset.reset': 'earliest', 'auto.commit.enable': 'false' },
    });
    expect(created.status).toBe(200);
    const baseUri = (created.body as { base_uri: string }).base_uri;
    // The balancer's address, not the node's: later calls go through the balancer again.
    expect(baseUri).toBe(`${balancer}/consumers/${group}/instances/c1`);
    expect((await log.send('subscribe', `${baseUri}/subscription`, { method: 'POST', headers: { 'content-type': V2 }, body: { topics: [TOPIC] } })).status).toBe(204);
    const received: string[] = [];
    for (let poll = 0; poll < 200 && (poll < 20 || received.length < RECORDS); poll++) {
      const answer = await log.send('records', `${baseUri}/records?timeout=500`, { headers: { accept: 'application/vnd.kafka.binary.v2+json' } });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      for (const r of answer.body as { value: string }[]) received.push(Buffer.from(r.value, 'base64').toString());
    }
    expect((await log.send('commit', `${baseUri}/offsets`, { method: 'POST', headers: { 'content-type': V2 } })).status).toBe(200);
    expect(await committedTotal(admin, group, TOPIC)).toBe(RECORDS);
    expect((await log.send('delete', baseUri, { method: 'DELETE', headers: { 'content-type': V2 } })).status).toBe(204);

    expect(received.sort()).toEqual([...produced].sort());
    const spread = log.spread();
    console.log(`[scale-out] v2: ${log.calls.length} calls, by receiving node ${JSON.stringify(spread.byNode)}, forwarded ${spread.forwarded}, 40403 ${spread.notFound}, records ${received.length}/${RECORDS} distinct ${new Set(received).size}`);
    expect(log.calls.filter((c) => c.what.startsWith('records')).length).toBeGreaterThanOrEqual(20);
    expect(log.calls.every((c) => c.status >= 200 && c.status < 300)).toBe(true);
    expect(spread.notFound).toBe(0);
    expect(Object.keys(spread.byNode).sort()).toEqual(['node1', 'node2', 'node3']);
    expect(spread.forwarded).toBeGreaterThan(0);
    // Gone everywhere once deleted.
    for (const node of deployment.nodes) {
      const after = await log.send('after delete', `${node.url}/consumers/${group}/instances/c1/records`, { headers: { accept: 'application/vnd.kafka.binary.v2+json' } });
      expect([after.status, (after.body as { error_code: number }).error_code]).toEqual([404, 40403]);
    }
  });

  it('an Upstash consumer instance: consumed, committed and deleted through the balancer; /consumers on any node lists it once', async () => {
    const log = new CallLog(auth);
    const group = `scale-upstash-${suffix}`;
    const produced = await produce(UPSTASH_TOPIC, 'up', RECORDS);
    const consumerHeaders = { 'content-type': 'application/json', 'Kafka-Auto-Offset-Reset': 'earliest', 'Kafka-Enable-Auto-Commit': 'false' };
    const received: string[] = [];
    for (let poll = 0; poll < 200 && (poll < 20 || received.length < RECORDS); poll++) {
      const answer = await log.send('consume', `${balancer}/upstash/consume/${group}/u1`, { method: 'POST', headers: consumerHeaders, body: { topic: UPSTASH_TOPIC, timeout: 500 } });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      for (const m of answer.body as { value: string }[]) received.push(m.value);
    }
    for (const node of deployment.nodes) {
      const listed = await log.send('consumers', `${node.url}/upstash/consumers`);
      expect(listed.status).toBe(200);
      const mine = (listed.body as { name: string; instances: { name: string }[] }[]).filter((g) => g.name === group);
      expect(mine.map((g) => g.instances.map((i) => i.name))).toEqual([['u1']]);
    }
    expect((await log.send('commit', `${balancer}/upstash/commit/${group}/u1`, { method: 'POST' })).status).toBe(200);
    expect(await committedTotal(admin, group, UPSTASH_TOPIC)).toBe(RECORDS);
    const removed = await log.send('delete', `${balancer}/upstash/delete-consumer/${group}/u1`, { method: 'POST' });
    expect(removed.body).toEqual({ result: 'Success', status: 200 });

    expect(received.sort()).toEqual([...produced].sort());
    const spread = log.spread();
    console.log(`[scale-out] upstash: ${log.calls.length} calls, by receiving node ${JSON.stringify(spread.byNode)}, forwarded ${spread.forwarded}, 404 ${spread.notFound}, records ${received.length}/${RECORDS} distinct ${new Set(received).size}`);
    expect(log.calls.filter((c) => c.what.startsWith('consume ')).length).toBeGreaterThanOrEqual(20);
    expect(log.calls.every((c) => c.status === 200)).toBe(true);
    expect(Object.keys(spread.byNode).sort()).toEqual(['node1', 'node2', 'node3']);
    expect(spread.forwarded).toBeGreaterThan(0);
    for (const node of deployment.nodes) {
      const listed = await log.send('consumers after delete', `${node.url}/upstash/consumers`);
      expect((listed.body as { name: string }[]).filter((g) => g.name === group)).toEqual([]);
    }
  });

  it('two nodes creating one instance at once: exactly one wins; v2 losers answer 409/40902, Upstash losers forward to the winner', async () => {
    const log = new CallLog({ ...auth, accept: V2 });
    const v2Group = `scale-race-v2-${suffix}`;
    for (let round = 0; round < 3; round++) {
      const name = `racer-${round}`;
      const answers = await Promise.all(
        deployment.nodes.map((node) =>
          log.send('create', `${node.url}/consumers/${v2Group}`, { method: 'POST', headers: { 'content-type': V2 }, body: { name, format: 'binary' } }),
        ),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      expect(answers.filter((a) => a.status !== 200).map((a) => [a.status, (a.body as { error_code: number }).error_code])).toEqual([
        [409, 40902],
        [409, 40902],
      ]);
      expect((await log.send('delete', `${balancer}/consumers/${v2Group}/instances/${name}`, { method: 'DELETE', headers: { 'content-type': V2 } })).status).toBe(204);
    }
    const upGroup = `scale-race-up-${suffix}`;
    const consumed = await Promise.all(
      deployment.nodes.map((node) =>
        log.send('consume', `${node.url}/upstash/consume/${upGroup}/same`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: { topic: UPSTASH_TOPIC, timeout: 200 } }),
      ),
    );
    expect(consumed.map((c) => c.status)).toEqual([200, 200, 200]);
    expect(consumed.filter((c) => c.forwardedTo !== undefined)).toHaveLength(2);
    expect(new Set(consumed.map((c) => c.forwardedTo ?? c.node)).size).toBe(1);
    const listed = await log.send('consumers', `${balancer}/upstash/consumers`);
    expect((listed.body as { name: string; instances: unknown[] }[]).find((g) => g.name === upGroup)?.instances).toHaveLength(1);
    expect((await log.send('delete', `${balancer}/upstash/delete-consumer/${upGroup}/same`, { method: 'POST' })).status).toBe(200);
  });

  it('forwarding keeps the caller: the holder checks the same user; bad credentials stop at the edge; unsigned node headers are refused', async () => {
    const group = `scale-auth-${suffix}`;
    const logs = new CallLog({ authorization: basic(USERS.logs), accept: V2 });
    const created = await logs.send('create', `${deployment.nodes[0]!.url}/consumers/${group}`, { method: 'POST', headers: { 'content-type': V2 }, body: { name: 'mine' } });
    expect(created.status).toBe(200);
    const elsewhere = `${deployment.nodes[1]!.url}/consumers/${group}/instances/mine`;
    // The user 'logs' may consume only logs.*: node 2 forwards, node 1 (the holder) refuses for that user.
    const refused = await logs.send('subscribe', `${elsewhere}/subscription`, { method: 'POST', headers: { 'content-type': V2 }, body: { topics: [TOPIC] } });
    expect([refused.status, (refused.body as { error_code: number }).error_code, refused.forwardedTo]).toEqual([403, 40301, 'node1']);
    expect((refused.body as { message: string }).message).toContain("User 'logs'");
    // The instance belongs to 'logs': another user reaching it through node 3 is refused by the holder, as on one node.
    const other = new CallLog({ authorization: basic(USERS.full), accept: V2 });
    const foreign = await other.send('subscription', `${deployment.nodes[2]!.url}/consumers/${group}/instances/mine/subscription`);
    expect([foreign.status, (foreign.body as { error_code: number }).error_code, foreign.forwardedTo]).toEqual([403, 40301, 'node1']);
    expect((foreign.body as { message: string }).message).toContain('belongs to another user');
    const wrong = await fetch(`${elsewhere}/subscription`, { headers: { authorization: basic({ username: 'logs', password: 'nope' }), accept: V2 } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('x-kafka-rest-forwarded-to')).toBeNull();
    const forged = await fetch(`${elsewhere}/subscription`, {
      headers: { 'x-kafka-rest-forwarded': `v1;t=${Date.now()};n=1;f=eA;p=${Buffer.from(JSON.stringify({ username: 'admin', permission: 'admin', topics: '*' })).toString('base64url')};s=http;sig=AAAA`, accept: V2 },
    });
    expect([forged.status, ((await forged.json()) as { error_code: number }).error_code]).toEqual([401, 40101]);
    const list = await fetch(`${deployment.nodes[1]!.url}/_kafka-rest/v1/instances`, { headers: auth });
    expect(list.status).toBe(404);
    expect((await logs.send('delete', elsewhere, { method: 'DELETE', headers: { 'content-type': V2 } })).status).toBe(204);
  });

  it('a forwarded request is counted once in kafka_rest_requests_total, by the node the client sent it to', async () => {
    const group = `scale-metrics-${suffix}`;
    const log = new CallLog({ ...auth, accept: V2 });
    const [holder, edge] = deployment.nodes;
    expect((await log.send('create', `${holder!.url}/consumers/${group}`, { method: 'POST', headers: { 'content-type': V2 }, body: { name: 'counted' } })).status).toBe(200);
    const operation = { dialect: 'v2', operation: 'v2GetSubscription' };
    const labels = { ...operation, status: '200' };
    const before = await Promise.all(deployment.nodes.map((node) => Scrape.of(node.url)));
    for (let i = 0; i < 3; i++) {
      const call = await log.send('subscription', `${edge!.url}/consumers/${group}/instances/counted/subscription`);
      expect([call.status, call.node, call.forwardedTo]).toEqual([200, 'node2', 'node1']);
    }
    const after = await Promise.all(deployment.nodes.map((node) => Scrape.of(node.url)));
    const counted = after.map((scrape, i) => scrape.value('kafka_rest_requests_total', labels) - before[i]!.value('kafka_rest_requests_total', labels));
    const timed = after.map((scrape, i) => scrape.count('kafka_rest_request_duration_seconds', operation) - before[i]!.count('kafka_rest_request_duration_seconds', operation));
    expect({ counted, timed }).toEqual({ counted: [0, 3, 0], timed: [0, 3, 0] });
    expect((await log.send('delete', `${holder!.url}/consumers/${group}/instances/counted`, { method: 'DELETE', headers: { 'content-type': V2 } })).status).toBe(204);
  });

  it('stateless requests see at once what another node did: topic created on one, produced to on the others', async () => {
    const [a, b, c] = deployment.nodes.map((n) => n.url) as [string, string, string];
    const clusterId = inject('clusterId');
    const topic = `scale-fresh-${suffix}`;
    const adminAuth = { authorization: basic(USERS.admin), 'content-type': 'application/json' };
    const createdTopic = await fetch(`${a}/v3/clusters/${clusterId}/topics`, { method: 'POST', headers: adminAuth, body: JSON.stringify({ topic_name: topic, partitions_count: 1 }) });
    expect(createdTopic.status).toBe(201);
    const v2 = await fetch(`${b}/topics/${topic}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/vnd.kafka.json.v2+json' }, body: JSON.stringify({ records: [{ value: 'from-b' }] }) });
    expect(v2.status).toBe(200);
    const upstash = await fetch(`${c}/upstash/produce/${topic}/from-c`, { headers: auth });
    expect(upstash.status).toBe(200);
    // Partitions added on one node: another produces to the new one at once.
    const grown = await fetch(`${a}/v3/clusters/${clusterId}/topics/${topic}`, { method: 'PATCH', headers: adminAuth, body: JSON.stringify({ partitions_count: 3 }) });
    expect(grown.status).toBe(200);
    const toNew = await fetch(`${c}/topics/${topic}/partitions/2`, { method: 'POST', headers: { ...auth, 'content-type': 'application/vnd.kafka.json.v2+json' }, body: JSON.stringify({ records: [{ value: 'to-2' }] }) });
    expect(toNew.status).toBe(200);
    expect(((await toNew.json()) as { offsets: { partition: number; error_code?: number }[] }).offsets[0]).toMatchObject({ partition: 2 });
    const { stdout } = await run('kcat', ['-C', '-b', bootstrapServers, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p:%s\n'], { timeout: 30_000 });
    expect(stdout.trim().split('\n').sort()).toEqual(['0:"from-b"', '0:from-c', '2:"to-2"'].sort());
    // A topic one node looked up, deleted through another: the first still creates topics (kafkajs kept naming the
    // deleted one in its admin client's metadata requests, and failed every topic creation after it).
    expect((await fetch(`${b}/topics/${topic}/partitions/0/offsets`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${a}/v3/clusters/${clusterId}/topics/${topic}`, { method: 'DELETE', headers: adminAuth })).status).toBe(204);
    const another = await fetch(`${b}/v3/clusters/${clusterId}/topics`, { method: 'POST', headers: adminAuth, body: JSON.stringify({ topic_name: `${topic}-2`, partitions_count: 1 }) });
    expect([another.status, await another.text()]).toEqual([201, expect.stringContaining(`${topic}-2`)]);
  });

  it('a soak of instances created, used and deleted through the balancer leaves nothing behind', async () => {
    const brokerPort = portOf(bootstrapServers);
    const connectionsBefore = deployment.nodes.map((n) => tcpConnectionsTo(n.pid, brokerPort));
    const log = new CallLog({ ...auth, accept: V2 });
    const groups: string[] = [];
    const lifecycle = async (i: number): Promise<void> => {
      const group = `scale-soak-${suffix}-${i}`;
      groups.push(group);
      if (i % 2 === 0) {
        const base = `${balancer}/consumers/${group}/instances/s`;
        expectStatus(await log.send('create', `${balancer}/consumers/${group}`, { method: 'POST', headers: { 'content-type': V2 }, body: { name: 's', 'auto.offset.reset': 'earliest' } }), 200);
        const subscribed = await log.send('subscribe', `${base}/subscription`, { method: 'POST', headers: { 'content-type': V2 }, body: { topics: [TOPIC] } });
        expectStatus(subscribed, 204);
        for (let poll = 0; poll < 3; poll++) expectStatus(await log.send('records', `${base}/records?timeout=300`, { headers: { accept: 'application/vnd.kafka.binary.v2+json' } }), 200);
        expectStatus(await log.send('delete', base, { method: 'DELETE', headers: { 'content-type': V2 } }), 204);
      } else {
        for (let poll = 0; poll < 3; poll++) {
          const consumed = await log.send('consume', `${balancer}/upstash/consume/${group}/s`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: { topic: UPSTASH_TOPIC, timeout: 300 } });
          expectStatus(consumed, 200);
        }
        expectStatus(await log.send('delete', `${balancer}/upstash/delete-consumer/${group}/s`, { method: 'POST' }), 200);
      }
    };
    const ROUNDS = 30;
    const WORKERS = 6;
    let next = 0;
    await Promise.all(Array.from({ length: WORKERS }, async () => {
      while (next < ROUNDS) {
        const i = next++;
        try {
          await lifecycle(i);
        } catch (error) {
          if (process.env['SCALE_DEBUG']) console.log('FAILED', i, JSON.stringify(log.calls.filter((c) => c.what.includes(`${suffix}-${i}/`)), null, 1));
          throw error;
        }
      }
    }));
    expect(log.calls.every((c) => c.status < 300)).toBe(true);

    // The directory: every claim withdrawn (kcat: %S is -1 for a tombstone).
    const topic = `_kafka-rest-ts.${deployment.name}.instances`;
    const { stdout } = await run('kcat', ['-C', '-b', bootstrapServers, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k\t%S\n'], { timeout: 30_000 });
    const live = new Map<string, boolean>();
    for (const line of stdout.split('\n').filter(Boolean)) {
      const [key, size] = line.split('\t');
      live.set(key!, size !== '-1');
    }
    const liveClaims = [...live.values()].filter(Boolean).length;
    // Group members: none left in the soak's groups; the three nodes in the node group.
    const { groups: described } = await admin.describeGroups([...groups, `_kafka-rest-ts.${deployment.name}.nodes`]);
    const leftMembers = described.filter((g) => groups.includes(g.groupId)).reduce((sum, g) => sum + g.members.length, 0);
    // A node is a member of the node group only while it hosts instances (and lingers a session after): none is left.
    let nodeMembers = described.find((g) => !groups.includes(g.groupId))!.members.length;
    for (const deadline = Date.now() + 30_000; nodeMembers > 0 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      nodeMembers = (await admin.describeGroups([`_kafka-rest-ts.${deployment.name}.nodes`])).groups[0]!.members.length;
    }
    const connectionsAfter = deployment.nodes.map((n) => tcpConnectionsTo(n.pid, brokerPort));
    const peerConnections = deployment.nodes.map((n) => deployment.nodes.filter((o) => o !== n).reduce((sum, o) => sum + tcpConnectionsTo(n.pid, Number(new URL(o.url).port)), 0));
    const spread = log.spread();
    console.log(
      `[scale-out] soak: ${ROUNDS} instances, ${log.calls.length} calls ${JSON.stringify(spread.byNode)}, forwarded ${spread.forwarded}; directory keys ${live.size}, live claims ${liveClaims}; ` +
        `members left ${leftMembers}, node group members once idle ${nodeMembers}; broker connections before ${JSON.stringify(connectionsBefore)} after ${JSON.stringify(connectionsAfter)}; peer connections ${JSON.stringify(peerConnections)}`,
    );
    expect(live.size).toBeGreaterThanOrEqual(ROUNDS);
    expect(liveClaims).toBe(0);
    expect(leftMembers).toBe(0);
    expect(nodeMembers).toBe(0);
    connectionsAfter.forEach((after, i) => expect(after).toBeLessThanOrEqual(connectionsBefore[i]! + 2));
    // Keep-alive connections between nodes are pooled: at most 16 idle ones to each other node.
    peerConnections.forEach((count) => expect(count).toBeLessThanOrEqual(2 * 16));
    for (const node of deployment.nodes) {
      const listed = await log.send('consumers', `${node.url}/upstash/consumers`);
      expect((listed.body as { name: string }[]).filter((g) => groups.includes(g.name))).toEqual([]);
    }
  });

  it('a deleted directory topic is created again and the instances are claimed anew', async () => {
    const log = new CallLog({ ...auth, accept: V2 });
    const group = `scale-lost-directory-${suffix}`;
    const [a, b] = deployment.nodes as [(typeof deployment.nodes)[0], (typeof deployment.nodes)[0]];
    expectStatus(await log.send('create', `${a.url}/consumers/${group}`, { method: 'POST', headers: { 'content-type': V2 }, body: { name: 'kept' } }), 200);
    expectStatus(await log.send('subscribe', `${a.url}/consumers/${group}/instances/kept/subscription`, { method: 'POST', headers: { 'content-type': V2 }, body: { topics: [TOPIC] } }), 204);
    const topic = `_kafka-rest-ts.${deployment.name}.instances`;
    await admin.deleteTopics({ topics: [topic] });
    const deadline = Date.now() + 60_000;
    let last: Awaited<ReturnType<CallLog['send']>> | undefined;
    while (Date.now() < deadline) {
      last = await log.send('records', `${b.url}/consumers/${group}/instances/kept/records?timeout=100`, { headers: { accept: 'application/vnd.kafka.binary.v2+json' } });
      if (last.status === 200 && last.forwardedTo === 'node1') break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(last).toMatchObject({ status: 200, forwardedTo: 'node1' });
    expect(log.calls.filter((c) => c.status >= 500)).toEqual([]);
    expectStatus(await log.send('delete', `${b.url}/consumers/${group}/instances/kept`, { method: 'DELETE', headers: { 'content-type': V2 } }), 204);
  });
});
