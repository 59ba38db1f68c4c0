/**
 * The server as users run it: `src/main.ts` (the `kafka-rest-ts` command) in its own process, configured by
 * environment and flags, stopped by a signal. With no brokers configured it must start (and on exit stop) a Kafka
 * broker of its own. What it says when a setting, a port or the cluster is wrong is part of its interface.
 */
import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it, vi } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.js';
import { Credentials } from '../../src/auth/credentials.js';
import { guardChild } from '../../src/process/watchdog.js';
import { PROJECT_ROOT } from '../../src/project-paths.js';
import { TEST_PROCESSES } from '../faults/support/fault-kit.js';

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

const MAIN = ['--import', 'tsx', 'src/main.ts'];

async function startMain(env: Record<string, string>, args: readonly string[] = []): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, [...MAIN, `--listeners=http://127.0.0.1:${port}`, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, KAFKA_REST_BOOTSTRAP_SERVERS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  guardChild(child, 'cli-test-watchdog', TEST_PROCESSES);
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

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command to its end (the cases where it must exit by itself). */
function runMain(args: readonly string[], env: Record<string, string> = {}, stdin = ''): Promise<Finished> {
  const child = spawn(process.execPath, [...MAIN, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, KAFKA_REST_BOOTSTRAP_SERVERS: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  guardChild(child, 'cli-test-watchdog', TEST_PROCESSES);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin!.end(stdin);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

const linesOf = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '');

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

describe('the kafka-rest-ts command', { timeout: 150_000 }, () => {
  it('prints its help (every setting with its environment variable) and its version without starting anything', async () => {
    const version = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const help = await runMain(['--help']);
    expect(help.code).toBe(0);
    expect(linesOf(help.stdout)[0]).toBe(`kafka-rest-ts ${version}: a Kafka REST proxy (Confluent REST Proxy v2 and v3, Upstash Kafka REST)`);
    expect(help.stdout).toMatch(/^ {2}bootstrap\.servers +KAFKA_REST_BOOTSTRAP_SERVERS +\[default: \(none\)\]$/m);
    expect(help.stdout).toMatch(/^ {2}log\.level +KAFKA_REST_LOG_LEVEL +\[default: info\]$/m);
    expect(await runMain(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('hash-password prints a hash of the password on stdin that the users file accepts', async () => {
    const run = await runMain(['hash-password'], {}, 'rotated-secret\n');
    expect(run.code).toBe(0);
    const hash = run.stdout.trim();
    expect(hash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
    const credentials = Credentials.fromJson(JSON.stringify({ users: [{ username: 'app', password: hash }] }));
    expect(await credentials.verify('app', 'rotated-secret')).toEqual({ username: 'app', permission: 'all', topics: '*' });
    expect(await credentials.verify('app', 'rotated-secret\n')).toBeUndefined();
  });

  it('exits 2 on an invalid value with one line naming the setting, its source and what is allowed', async () => {
    const run = await runMain([], { KAFKA_REST_LOG_LEVEL: 'verbose' });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      "configuration error: log.level (environment KAFKA_REST_LOG_LEVEL): must be one of trace, debug, info, warn, error, fatal, silent, got 'verbose'\n",
    );
  });

  it('on a busy port exits 1 with one line naming the listener, before starting a local broker', async () => {
    const taken = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      const run = await runMain([`--listeners=http://127.0.0.1:${port}`]);
      expect(run.code).toBe(1);
      const lines = linesOf(run.stdout + run.stderr);
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({
        level: 50,
        msg: `could not start: listener http://127.0.0.1:${port} (listeners): port ${port} is already in use (EADDRINUSE)`,
      });
    } finally {
      taken.close();
    }
  });

  it('on an unreachable cluster exits 1 with one line naming the bootstrap servers and why, without kafkajs retry lines', async () => {
    const port = await freePort();
    const run = await runMain([`--listeners=http://127.0.0.1:${port}`], { KAFKA_REST_BOOTSTRAP_SERVERS: '127.0.0.1:1' });
    expect(run.code).toBe(1);
    const entries = linesOf(run.stdout).map((line) => JSON.parse(line) as { level: number; msg: string; component?: string });
    expect(entries.filter((e) => e.component === 'kafkajs')).toEqual([]);
    const errors = entries.filter((e) => e.level >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.msg).toBe('could not start: cannot connect to Kafka at 127.0.0.1:1 (bootstrap.servers) over PLAINTEXT: Connection error: connect ECONNREFUSED 127.0.0.1:1');
    expect(run.stderr).toBe('');
  });

  it('warns about a misspelled setting, naming the one meant, and serves; the listening line shows at log.level=warn', async () => {
    const started = await startMain({ KAFKA_REST_BOOTSTRAP_SERVERS: inject('bootstrapServers'), KAFKA_REST_LISTENRS: 'http://0.0.0.0:9' }, ['--log.level=warn']);
    try {
      expect(await clusterIdAt(started.url)).toBe(inject('clusterId'));
      const entries = linesOf(started.output()).map((line) => JSON.parse(line) as { level: number; msg: string });
      expect(entries).toContainEqual(expect.objectContaining({ level: 40, msg: 'unknown setting KAFKA_REST_LISTENRS (environment) — did you mean listeners?' }));
      expect(entries).toContainEqual(expect.objectContaining({ level: 30, msg: 'kafka-rest listening', listeners: [started.url] }));
      // At warn, the listening line is the only one below warn; requests (info) are not logged.
      expect(entries.filter((e) => e.level < 40).map((e) => e.msg)).toEqual(['kafka-rest listening']);
    } finally {
      started.child.kill('SIGKILL');
    }
  });

  it('writes readable lines with log.format=text, and re-reads auth.file on SIGHUP without stopping', async () => {
    const users = join(mkdtempSync(join(tmpdir(), 'cli-users-')), 'users.json');
    writeFileSync(users, JSON.stringify({ users: [{ username: 'app', password: 'first' }] }));
    const started = await startMain({ KAFKA_REST_BOOTSTRAP_SERVERS: inject('bootstrapServers'), KAFKA_REST_AUTH_FILE: users }, ['--log.format=text']);
    try {
      expect(started.output()).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: kafka-rest listening \{"listeners":\["http:\/\/127\.0\.0\.1:\d+"\]/m);
      expect(started.output()).toMatch(/^\[[\d:.]+\] WARN: auth\.file .*users\.json: 1 user\(s\) with a plain-text password \(app\)/m);
      started.child.kill('SIGHUP');
      await vi.waitFor(() => expect(started.output()).toMatch(/INFO: auth\.file .*users\.json reloaded \(SIGHUP\): 1 users/), { timeout: 15_000, interval: 100 });
      const authorization = `Basic ${Buffer.from('app:first').toString('base64')}`;
      expect((await fetch(`${started.url}/upstash/topics`, { headers: { authorization } })).status).toBe(200);
      expect(started.child.exitCode).toBeNull();
    } finally {
      started.child.kill('SIGKILL');
    }
  });
});
