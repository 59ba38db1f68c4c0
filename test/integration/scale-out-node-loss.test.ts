/**
 * A node of a three-node deployment behind HAProxy is lost. SIGKILL in the middle of a forwarded long poll: the
 * poll and every later request for its instances answer 404/40403 from the other nodes within seconds (never a
 * 5xx, never a hang), and the names can be created again and used. SIGSTOP (a node that loses Kafka and its peers
 * for longer than its session): the others take over, and the node, once it runs again, no longer serves what it
 * held.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sleep } from '../faults/support/fault-kit.js';
import { CallLog, startDeployment, stopEverythingStarted } from './support/deployment-under-test.js';
import type { Call, DeploymentUnderTest } from './support/deployment-under-test.js';

const run = promisify(execFile);
const V2 = 'application/vnd.kafka.v2+json';
const BINARY = 'application/vnd.kafka.binary.v2+json';
const SESSION_MS = 6000;
const suffix = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
const TOPIC = `scale-loss-${suffix}`;

const errorCode = (call: Call): number | undefined => (call.body as { error_code?: number } | undefined)?.error_code;

/** Calls `send` every 100 ms until `done` says so; every call is kept (to check none was a 5xx). */
async function until(send: () => Promise<Call>, done: (call: Call) => boolean, timeoutMs: number): Promise<Call[]> {
  const calls: Call[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const call = await send();
    calls.push(call);
    if (done(call)) return calls;
    if (Date.now() > deadline) throw new Error(`not done within ${timeoutMs} ms: ${JSON.stringify(calls.slice(-3))}`);
    await sleep(100);
  }
}

describe('a node of the deployment is lost', { timeout: 240_000 }, () => {
  const bootstrapServers = inject('bootstrapServers');
  const kafka = new Kafka({ brokers: [bootstrapServers], logLevel: logLevel.NOTHING });
  const admin: Admin = kafka.admin();
  const producer = kafka.producer();
  let deployment: DeploymentUnderTest;
  let balancer: string;
  const log = new CallLog({ accept: V2 });

  const nodeGroupMembers = async (): Promise<string[]> => {
    const { groups } = await admin.describeGroups([`_kafka-rest-ts.${deployment.name}.nodes`]);
    return groups[0]!.members.map((m) => m.memberId);
  };
  /** Live claims in the directory (kcat, folding tombstones), by claim key. */
  const directoryClaims = async (): Promise<{ node: string; member: string }[]> => {
    const { stdout } = await run('kcat', ['-C', '-b', bootstrapServers, '-t', `_kafka-rest-ts.${deployment.name}.instances`, '-o', 'beginning', '-e', '-q', '-f', '%k\t%S\t%s\n']);
    const live = new Map<string, string>();
    for (const line of stdout.split('\n').filter(Boolean)) {
      const [key, size, value] = line.split('\t');
      if (size === '-1') live.delete(key!);
      else live.set(key!, value!);
    }
    return [...live.values()].map((v) => JSON.parse(v) as { node: string; member: string });
  };
  const createV2 = (base: string, group: string, name: string): Promise<Call> =>
    log.send('create', `${base}/consumers/${group}`, {
      method: 'POST',
      headers: { 'content-type': V2 },
      body: { name, 'auto.offset.reset': 'earliest', 'consumer.request.timeout.ms': 10_000 },
    });
  const subscribe = (base: string, group: string, name: string): Promise<Call> =>
    log.send('subscribe', `${base}/consumers/${group}/instances/${name}/subscription`, { method: 'POST', headers: { 'content-type': V2 }, body: { topics: [TOPIC] } });
  const assign = (base: string, group: string, name: string): Promise<Call> =>
    log.send('assign', `${base}/consumers/${group}/instances/${name}/assignments`, { method: 'POST', headers: { 'content-type': V2 }, body: { partitions: [{ topic: TOPIC, partition: 0 }] } });
  const records = (base: string, group: string, name: string, timeoutMs: number): Promise<Call> =>
    log.send('records', `${base}/consumers/${group}/instances/${name}/records?timeout=${timeoutMs}`, { headers: { accept: BINARY } });
  const consume = (base: string, group: string, name: string): Promise<Call> =>
    log.send('consume', `${base}/upstash/consume/${group}/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Kafka-Auto-Offset-Reset': 'earliest', 'Kafka-Session-Timeout-Ms': String(SESSION_MS) },
      body: { topic: TOPIC, timeout: 1000 },
    });

  beforeAll(async () => {
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: TOPIC, numPartitions: 1 }] });
    deployment = await startDeployment(3, bootstrapServers, {
      KAFKA_REST_DEPLOYMENT_SESSION_TIMEOUT_MS: String(SESSION_MS),
      ...(process.env['SCALE_DEBUG'] ? { KAFKA_REST_LOG_LEVEL: 'info' } : {}),
    });
    balancer = deployment.balancer.url;
  }, 180_000);

  afterAll(async () => {
    if (process.env['SCALE_DEBUG']) for (const n of deployment?.nodes ?? []) console.log(n.output().split('\n').filter((l) => !l.includes('"msg":"request"') && !l.includes('"config"')).join('\n'));
    try {
      await deployment?.stop();
    } finally {
      await stopEverythingStarted();
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    }
  });

  it('SIGKILL of the holder mid-poll: 404/40403 from the others within seconds, then the names are created again and used', async () => {
    const [victim, edge] = deployment.nodes as [(typeof deployment.nodes)[0], (typeof deployment.nodes)[0]];
    const v2Group = `loss-v2-${suffix}`;
    const upGroup = `loss-up-${suffix}`;
    await producer.send({ topic: TOPIC, messages: [{ value: 'before-1' }, { value: 'before-2' }] });
    // Partitions assigned by hand: no group member of node 1 lingers after its death (a subscribed v2 instance's
    // member stays in its group for its 45 s session, as with one node); the Upstash instance below is subscribed.
    expect((await createV2(victim.url, v2Group, 'held')).status).toBe(200);
    expect((await assign(victim.url, v2Group, 'held')).status).toBe(204);
    // Records flow through another node (forwarded to the holder).
    const first = await until(() => records(edge.url, v2Group, 'held', 1000), (c) => c.status !== 200 || (c.body as unknown[]).length > 0, 30_000);
    expect(first.at(-1)).toMatchObject({ status: 200, forwardedTo: 'node1' });
    await until(() => consume(victim.url, upGroup, 'held'), (c) => c.status !== 200 || (c.body as unknown[]).length > 0, 30_000);

    const victimMember = (await directoryClaims()).find((c) => c.node === 'node1')!.member;
    expect(await nodeGroupMembers()).toContain(victimMember);
    // A long poll through node 2, waiting at node 1 for records that do not come.
    const inFlight = records(edge.url, v2Group, 'held', 10_000);
    await sleep(500);
    const killedAt = Date.now();
    victim.child.kill('SIGKILL');
    await victim.exited;
    const answered = await inFlight;
    const inFlightMs = Date.now() - killedAt;
    expect([answered.status, errorCode(answered)]).toEqual([404, 40403]);

    // Through the balancer (which may still pick the dead node: it redispatches), and at each survivor.
    const afterKill = await until(() => records(balancer, v2Group, 'held', 200), (c) => c.status === 404 && errorCode(c) === 40403, 20_000);
    const firstNotFoundMs = afterKill.at(-1)!.at - killedAt;
    for (const node of deployment.nodes.slice(1)) expect(errorCode(await records(node.url, v2Group, 'held', 200))).toBe(40403);

    // The names again: created on a survivor, used.
    const recreated = await createV2(balancer, v2Group, 'held');
    expect(recreated.status).toBe(200);
    expect(['node2', 'node3']).toContain(recreated.node);
    expect((await assign(balancer, v2Group, 'held')).status).toBe(204);
    const reread = await until(() => records(balancer, v2Group, 'held', 500), (c) => c.status !== 200 || (c.body as unknown[]).length > 0, 20_000);
    const v2BackMs = reread.at(-1)!.at - killedAt;
    await producer.send({ topic: TOPIC, messages: [{ value: 'after-kill' }] });
    // The Upstash instance comes back on first use; its group drops the dead member after its session (6 s).
    const upstash = await until(() => consume(balancer, upGroup, 'held'), (c) => c.status !== 200 || (c.body as { value: string }[]).some((m) => m.value === 'after-kill'), 60_000);
    const upstashBackMs = upstash.at(-1)!.at - killedAt;

    const nodesGone = await until(
      async () => ({ what: 'members', status: (await nodeGroupMembers()).includes(victimMember) ? 1 : 0, body: undefined, node: '', ms: 0, at: Date.now() }),
      (c) => c.status === 0,
      30_000,
    );
    // No claim of the dead node is left in the directory.
    const deadClaims = (await directoryClaims()).filter((c) => c.node === 'node1');
    const all = [...first, ...afterKill, ...reread, ...upstash, answered];
    console.log(
      `[scale-out] SIGKILL: in-flight poll answered ${answered.status}/${errorCode(answered)} after ${inFlightMs} ms; first 404/40403 through the balancer ${firstNotFoundMs} ms after the kill ` +
        `(${afterKill.length} calls, statuses ${JSON.stringify(afterKill.map((c) => c.status))}); re-created on ${recreated.node}, records read again ${v2BackMs} ms after the kill; ` +
        `Upstash instance back with a new record ${upstashBackMs} ms after the kill (${upstash.length} calls); the dead node out of the node group ${nodesGone.at(-1)!.at - killedAt} ms after; ` +
        `dead node's claims left ${deadClaims.length}`,
    );
    expect(all.filter((c) => c.status >= 500)).toEqual([]);
    expect(upstash.every((c) => c.status === 200)).toBe(true);
    expect(deadClaims).toEqual([]);
  });

  it('a node frozen for longer than its session (SIGSTOP): the others answer for its instances, and thawed it holds none of them', async () => {
    const [, edge, frozen] = deployment.nodes as [(typeof deployment.nodes)[0], (typeof deployment.nodes)[0], (typeof deployment.nodes)[0]];
    const group = `loss-frozen-${suffix}`;
    expect((await createV2(frozen.url, group, 'cold')).status).toBe(200);
    expect((await subscribe(frozen.url, group, 'cold')).status).toBe(204);
    expect((await records(edge.url, group, 'cold', 200)).forwardedTo).toBe('node3');
    const frozenAt = Date.now();
    frozen.child.kill('SIGSTOP');
    // Waits at the frozen node (its kernel still accepts connections) until the others drop it from the group.
    const waited = await records(edge.url, group, 'cold', 200);
    const waitedMs = Date.now() - frozenAt;
    expect([waited.status, errorCode(waited)]).toEqual([404, 40403]);
    frozen.child.kill('SIGCONT');
    const thawedAt = Date.now();
    // Thawed, it finds its claim revoked (and itself dropped from the node group): it closes what it held. While
    // its own Kafka connections recover (kafkajs times out what was in flight during the freeze) it may answer 503.
    const thawed = await until(() => records(frozen.url, group, 'cold', 200), (c) => c.status === 404, 60_000);
    console.log(
      `[scale-out] SIGSTOP: a poll through node2 answered ${waited.status}/${errorCode(waited)} ${waitedMs} ms after the freeze; thawed node3 answers 404/40403 for its old instance ` +
        `${thawed.at(-1)!.at - thawedAt} ms after the thaw (before that: ${JSON.stringify(thawed.slice(0, -1).map((c) => `${c.status}/${errorCode(c) ?? ''} after ${c.at - thawedAt} ms`))})`,
    );
    expect(thawed.filter((c) => c.status !== 404 && c.status !== 503)).toEqual([]);
    // The name again, on another node; its Kafka group is free (the thawed node's member left it).
    expect((await createV2(edge.url, group, 'cold')).status).toBe(200);
    const subscribedAt = Date.now();
    expect((await subscribe(edge.url, group, 'cold')).status).toBe(204);
    expect(Date.now() - subscribedAt).toBeLessThan(20_000);
    const viaThawed = await records(frozen.url, group, 'cold', 200);
    expect([viaThawed.status, viaThawed.forwardedTo]).toEqual([200, 'node2']);
  });
});
