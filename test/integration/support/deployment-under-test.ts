/**
 * Several proxy processes (`src/main.ts`) forming one deployment on the run's broker, behind a real round-robin
 * balancer: HAProxy from Debian (`.ci/run` installs it), started with a generated configuration on a free port —
 * no sticky sessions, each request balanced on its own, failed connections redispatched to another node. Nodes and
 * balancers die with the test worker or its runner, however they end (guardChild's hook and watchdog).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../scripts/lib/free-port.js';
import { guardChild } from '../../../src/process/watchdog.js';
import { sleep, startProxyProcess, stopAllProxyProcesses, stopProxyProcess, TEST_PROCESSES } from '../../faults/support/fault-kit.js';
import type { ProxyProcess } from '../../faults/support/fault-kit.js';

export interface Balancer {
  readonly url: string;
  readonly config: string;
  stop(): Promise<void>;
}

/** The HAProxy configuration the tests run (docs/scaling.md shows it). */
export function haproxyConfig(port: number, backends: readonly string[]): string {
  const servers = backends.map((url, i) => `  server node${i + 1} ${new URL(url).host} check`);
  return [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 120s',
    '  timeout server 120s',
    '  # a node that refuses the connection: try another one',
    '  option redispatch',
    '  retries 2',
    'frontend kafka_rest',
    `  bind 127.0.0.1:${port}`,
    '  default_backend nodes',
    'backend nodes',
    '  balance roundrobin',
    '  # is the process there (a node that cannot reach Kafka still forwards; /readyz asks Kafka, slow under load)',
    '  option httpchk GET /healthz',
    '  http-check expect status 200',
    '  timeout check 5s',
    '  default-server inter 1s fall 2 rise 2',
    ...servers,
    '',
  ].join('\n');
}

/** Every balancer this worker started and has not stopped yet. */
const balancers = new Set<Balancer>();

export async function startBalancer(backends: readonly string[]): Promise<Balancer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'kafka-rest-haproxy-'));
  const file = join(dir, 'haproxy.cfg');
  const config = haproxyConfig(port, backends);
  writeFileSync(file, config);
  // -db: stay in the foreground, so the test owns the process (SIGTERM stops it).
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  guardChild(child, 'haproxy-under-test-watchdog', TEST_PROCESSES);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const balancer: Balancer = {
    url,
    config,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      balancers.delete(balancer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  balancers.add(balancer);
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      await balancer.stop();
      throw new Error(`haproxy exited (${child.exitCode}):\n${output}`);
    }
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return balancer;
    if (Date.now() > deadline) {
      await balancer.stop();
      throw new Error(`haproxy did not answer:\n${output}`);
    }
    await sleep(100);
  }
}

/**
 * For afterAll, after the deployment's own stop(): ends every node and balancer this worker started, those of a
 * setup that failed or timed out before handing them over included.
 */
export async function stopEverythingStarted(): Promise<void> {
  await Promise.all([...balancers].map((b) => b.stop()));
  await stopAllProxyProcesses();
}

export interface DeploymentUnderTest {
  readonly nodes: ProxyProcess[];
  readonly balancer: Balancer;
  readonly name: string;
  stop(): Promise<void>;
}

/** `count` nodes of one deployment (same settings) and the balancer in front of them. */
export async function startDeployment(count: number, bootstrapServers: string, env: Record<string, string> = {}): Promise<DeploymentUnderTest> {
  const name = `scale-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const settled = await Promise.allSettled(
    Array.from({ length: count }, (_, i) => startProxyProcess({ KAFKA_REST_BOOTSTRAP_SERVERS: bootstrapServers, KAFKA_REST_LOG_LEVEL: 'warn', KAFKA_REST_DEPLOYMENT_NAME: name, KAFKA_REST_ID: `node${i + 1}`, ...env })),
  );
  const nodes = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await stopNodes(nodes);
    throw failed.reason;
  }
  let balancer: Balancer;
  try {
    balancer = await startBalancer(nodes.map((n) => n.url));
  } catch (error) {
    await stopNodes(nodes);
    throw error;
  }
  return {
    nodes,
    balancer,
    name,
    stop: async () => {
      await balancer.stop();
      await stopNodes(nodes);
    },
  };
}

async function stopNodes(nodes: readonly ProxyProcess[]): Promise<void> {
  await Promise.all(nodes.map((node) => stopProxyProcess(node)));
}

export interface Call {
  readonly what: string;
  readonly status: number;
  readonly body: unknown;
  /** The node that received the request (X-Kafka-Rest-Node). */
  readonly node: string;
  /** The node that served it, when the receiving node forwarded it (X-Kafka-Rest-Forwarded-To). */
  readonly forwardedTo?: string;
  readonly ms: number;
  readonly at: number;
}

/** HTTP calls that remember who answered them. */
export class CallLog {
  readonly calls: Call[] = [];

  constructor(private readonly headers: Record<string, string> = {}) {}

  async send(what: string, url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<Call> {
    const started = performance.now();
    const response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: { ...this.headers, ...init.headers },
      ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    const forwardedTo = response.headers.get('x-kafka-rest-forwarded-to');
    const call: Call = {
      what: `${what} ${init.method ?? 'GET'} ${new URL(url).pathname}`,
      status: response.status,
      body,
      node: response.headers.get('x-kafka-rest-node') ?? '?',
      ...(forwardedTo ? { forwardedTo } : {}),
      ms: performance.now() - started,
      at: Date.now(),
    };
    this.calls.push(call);
    return call;
  }

  /** Calls per receiving node, and how many were forwarded. */
  spread(): { byNode: Record<string, number>; forwarded: number; notFound: number } {
    const byNode: Record<string, number> = {};
    for (const c of this.calls) byNode[c.node] = (byNode[c.node] ?? 0) + 1;
    const notFound = this.calls.filter((c) => (c.body as { error_code?: number } | undefined)?.error_code === 40403 || c.status === 404).length;
    return { byNode, forwarded: this.calls.filter((c) => c.forwardedTo !== undefined).length, notFound };
  }
}
