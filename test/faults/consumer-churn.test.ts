/**
 * Consumer instance churn against the proxy in its own process: v2 and Upstash instances created, subscribed,
 * consumed from and deleted, and some abandoned to expire (consumer.instance.timeout.ms). Afterwards its RSS and
 * its TCP connections to the broker are back at their baseline and it hosts no instance.
 */
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminWithTopics, portOf, rssKib, sizedMs, sleep, startProxyProcess, tcpConnectionsTo } from './support/fault-kit.js';
import type { ProxyProcess } from './support/fault-kit.js';

const CHURN_MS = sizedMs(25_000, 180_000);
const WORKERS = 4;
const INSTANCE_TIMEOUT_MS = 5_000;
const MAX_INSTANCES = 40;
/** RSS may end above its baseline by this much (V8 keeps some heap it grew into); a leak grows with the churn. */
const RSS_SLACK_KIB = 40 * 1024;
const suffix = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
const TOPIC = `fault-churn-${suffix}`;
const V2 = 'application/vnd.kafka.v2+json';

type CycleKind = 'v2-deleted' | 'upstash-deleted' | 'v2-abandoned' | 'upstash-abandoned';
const KINDS: readonly CycleKind[] = ['v2-deleted', 'upstash-deleted', 'v2-deleted', 'upstash-deleted', 'v2-abandoned', 'upstash-abandoned'];

interface Churn {
  readonly cycles: Record<CycleKind, number>;
  readonly failures: string[];
  readonly groups: string[];
}

async function expectStatus(what: string, response: Promise<Response>, status: number, failures: string[]): Promise<void> {
  const r = await response;
  const text = await r.text();
  if (r.status !== status) failures.push(`${what}: ${r.status} ${text.slice(0, 200)}`);
}

/** One instance's life: created, subscribed, one consume call, then deleted or left to expire. */
async function cycle(url: string, kind: CycleKind, group: string, failures: string[]): Promise<void> {
  if (kind.startsWith('v2')) {
    const instance = `${url}/consumers/${group}/instances/i`;
    const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': V2 }, body: JSON.stringify(body) });
    await expectStatus('v2 create', fetch(`${url}/consumers/${group}`, json({ name: 'i', format: 'binary', 'auto.offset.reset': 'earliest' })), 200, failures);
    await expectStatus('v2 subscribe', fetch(`${instance}/subscription`, json({ topics: [TOPIC] })), 204, failures);
    await expectStatus('v2 records', fetch(`${instance}/records?timeout=500`, { headers: { accept: 'application/vnd.kafka.binary.v2+json' } }), 200, failures);
    if (kind === 'v2-deleted') await expectStatus('v2 delete', fetch(instance, { method: 'DELETE', headers: { 'content-type': V2 } }), 204, failures);
    return;
  }
  const consume = fetch(`${url}/upstash/consume/${group}/i/${TOPIC}?timeout=500`, { headers: { 'Kafka-Auto-Offset-Reset': 'earliest' } });
  await expectStatus('upstash consume', consume, 200, failures);
  if (kind === 'upstash-deleted') await expectStatus('upstash delete', fetch(`${url}/upstash/delete-consumer/${group}/i`, { method: 'POST' }), 200, failures);
}

async function churn(url: string, durationMs: number): Promise<Churn> {
  const result: Churn = { cycles: { 'v2-deleted': 0, 'upstash-deleted': 0, 'v2-abandoned': 0, 'upstash-abandoned': 0 }, failures: [], groups: [] };
  const until = Date.now() + durationMs;
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, worker) => {
      for (let n = 0; Date.now() < until; n++) {
        const kind = KINDS[(n + worker) % KINDS.length]!;
        const group = `fault-churn-${suffix}-${worker}-${n}`;
        result.groups.push(group);
        await cycle(url, kind, group, result.failures);
        result.cycles[kind]++;
      }
    }),
  );
  return result;
}

async function instancesHosted(url: string): Promise<number> {
  const groups = (await (await fetch(`${url}/upstash/consumers`)).json()) as { instances: unknown[] }[];
  return groups.reduce((sum, g) => sum + g.instances.length, 0);
}

/** Waits (up to 30 s) until abandoned instances expired and the connections are back at `baseline`. */
async function settled(proxy: ProxyProcess, port: number, baseline: number): Promise<{ instances: number; connections: number; waitedMs: number }> {
  const started = Date.now();
  for (;;) {
    const instances = await instancesHosted(proxy.url);
    const connections = tcpConnectionsTo(proxy.pid, port);
    if ((instances === 0 && connections <= baseline) || Date.now() - started > 30_000) return { instances, connections, waitedMs: Date.now() - started };
    await sleep(500);
  }
}

async function groupsWithMembers(admin: Admin, groups: readonly string[]): Promise<string[]> {
  const busy: string[] = [];
  for (let i = 0; i < groups.length; i += 100) {
    const described = await admin.describeGroups(groups.slice(i, i + 100));
    busy.push(...described.groups.filter((g) => g.members.length > 0).map((g) => `${g.groupId} ${g.state}`));
  }
  return busy;
}

describe('consumer instance churn', { timeout: CHURN_MS + 180_000 }, () => {
  const bootstrapServers = inject('bootstrapServers');
  const brokerPort = portOf(bootstrapServers);
  let admin: Admin;
  let proxy: ProxyProcess;

  beforeAll(async () => {
    admin = await adminWithTopics(bootstrapServers, [{ topic: TOPIC, numPartitions: 1 }], { topic: TOPIC, values: Array.from({ length: 10 }, (_, i) => `r-${i}`) });
    proxy = await startProxyProcess({
      KAFKA_REST_BOOTSTRAP_SERVERS: bootstrapServers,
      KAFKA_REST_CONSUMER_INSTANCE_TIMEOUT_MS: String(INSTANCE_TIMEOUT_MS),
      KAFKA_REST_CONSUMER_INSTANCES_MAX: String(MAX_INSTANCES),
      KAFKA_REST_LOG_LEVEL: 'warn',
    });
  });

  afterAll(async () => {
    proxy?.child.kill('SIGKILL');
    await admin?.disconnect();
  });

  it('returns RSS and Kafka connections to their baseline and leaks no instance', async () => {
    // Connections: the proxy's own, before any consumer. RSS: once every kind of cycle ran (code loaded, JIT warm).
    const connectionsAtStart = tcpConnectionsTo(proxy.pid, brokerPort);
    const warmUpFailures: string[] = [];
    for (const kind of new Set(KINDS)) await cycle(proxy.url, kind, `fault-churn-${suffix}-warm-${kind}`, warmUpFailures);
    expect(warmUpFailures).toEqual([]);
    const warm = await settled(proxy, brokerPort, connectionsAtStart);
    expect(warm.instances).toBe(0);
    const baseline = { rssKib: rssKib(proxy.pid), connections: connectionsAtStart };

    let peak = baseline;
    const sampler = setInterval(() => {
      const now = { rssKib: rssKib(proxy.pid), connections: tcpConnectionsTo(proxy.pid, brokerPort) };
      peak = { rssKib: Math.max(peak.rssKib, now.rssKib), connections: Math.max(peak.connections, now.connections) };
    }, 1_000);
    const result = await churn(proxy.url, CHURN_MS);
    clearInterval(sampler);
    const after = await settled(proxy, brokerPort, baseline.connections);
    const rssAfter = rssKib(proxy.pid);
    const busyGroups = await groupsWithMembers(admin, result.groups);
    const total = Object.values(result.cycles).reduce((a, b) => a + b, 0);
    const mib = (kib: number): string => `${(kib / 1024).toFixed(1)} MiB`;
    console.log(
      `[churn] ${CHURN_MS / 1000} s, ${total} instances (${Object.entries(result.cycles).map(([k, v]) => `${k} ${v}`).join(', ')}), failures ${result.failures.length}; ` +
        `RSS baseline ${mib(baseline.rssKib)}, peak ${mib(peak.rssKib)}, after ${mib(rssAfter)}; ` +
        `Kafka connections baseline ${baseline.connections} (after the warm-up ${warm.connections}), peak ${peak.connections}, after ${after.connections}; ` +
        `instances left ${after.instances} (settled ${after.waitedMs} ms after the churn); groups still with members ${busyGroups.length}`,
    );

    expect(result.failures).toEqual([]);
    expect(total).toBeGreaterThan(WORKERS * KINDS.length);
    expect(after.instances).toBe(0);
    expect(warm.connections).toBeLessThanOrEqual(baseline.connections);
    expect(after.connections).toBeLessThanOrEqual(baseline.connections);
    expect(busyGroups).toEqual([]);
    expect(rssAfter - baseline.rssKib).toBeLessThanOrEqual(RSS_SLACK_KIB);
  });
});
