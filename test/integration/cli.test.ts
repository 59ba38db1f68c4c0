/**
 * The server as users run it: `src/main.ts` in its own process, configured by environment and flags, stopped by a
 * signal. With no brokers configured it must start (and on exit stop) a Kafka broker of its own.
 */
import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.js';
import { PROJECT_ROOT } from '../../src/project-paths.js';

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Kafka brokers whose parent is `pid` (other brokers on the machine are not this test's business). */
function brokersStartedBy(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid), '-f', 'kafka.Kafka'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startMain(env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', `--listeners=http://127.0.0.1:${port}`], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, KAFKA_REST_BOOTSTRAP_SERVERS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`main exited early (${child.exitCode}):\n${output}`);
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ok) return { child, url, output: () => output };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`main did not become ready:\n${output}`);
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function clusterIdAt(url: string): Promise<string> {
  const body = (await (await fetch(`${url}/v3/clusters`)).json()) as { data: { cluster_id: string }[] };
  return body.data[0]!.cluster_id;
}

// Starting a second JVM broker while the rest of the suite loads both cores can take well over the default 30 s.
describe('npm start (src/main.ts)', { timeout: 150_000 }, () => {
  it('uses the cluster named by KAFKA_REST_BOOTSTRAP_SERVERS, starts no broker, and exits 0 on SIGTERM', async () => {
    const started = await startMain({ KAFKA_REST_BOOTSTRAP_SERVERS: inject('bootstrapServers') });
    try {
      expect(await clusterIdAt(started.url)).toBe(inject('clusterId'));
      expect(brokersStartedBy(started.child.pid!)).toEqual([]);
      const exited = exitOf(started.child);
      started.child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(started.output()).toContain('"msg":"stopped"');
    } finally {
      started.child.kill('SIGKILL');
    }
  });

  it('with no brokers configured starts its own Kafka, and stops it on SIGINT', async () => {
    const started = await startMain({});
    try {
      const clusterId = await clusterIdAt(started.url);
      expect(clusterId).not.toBe(inject('clusterId'));
      expect(clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      // The embedded broker has an authorizer: the v3 ACL operations answer instead of 40002 "Security features are disabled".
      const acls = await fetch(`${started.url}/v3/clusters/${clusterId}/acls`);
      expect(acls.status).toBe(200);
      expect(await acls.json()).toMatchObject({ kind: 'KafkaAclList', data: [] });
      const ours = brokersStartedBy(started.child.pid!);
      expect(ours).toHaveLength(1);
      const exited = exitOf(started.child);
      started.child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(alive(ours[0]!)).toBe(false);
    } finally {
      started.child.kill('SIGKILL');
    }
  });
});
