/**
 * Shared by the fault tests: their sizes (quick inside `npm test`, full in `npm run test:faults`), the proxy run as
 * a child process, what /proc says about it (RSS, TCP connections to the broker), a produce load over several
 * dialects, and kcat as the independent witness of what is in a topic.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import type { Admin, ITopicConfig } from 'kafkajs';
import { freePort } from '../../../scripts/lib/free-port.js';
import { guardChild } from '../../../src/process/watchdog.js';
import { PROJECT_ROOT } from '../../../src/project-paths.js';

const run = promisify(execFile);

/** `npm run test:faults` sets FAULTS_PROFILE=full (vitest.faults.config.ts): longer loads, outages and churn. */
export const FULL_PROFILE = process.env['FAULTS_PROFILE'] === 'full';

export function sizedMs(quickMs: number, fullMs: number): number {
  return FULL_PROFILE ? fullMs : quickMs;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------------------------------------- the proxy as a child

export interface ProxyProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  /** Resolves with the exit code once the process is gone. */
  readonly exited: Promise<number | null>;
  output(): string;
}

/**
 * The processes a test worker must end, by whatever way it ends: ours, and the test runner's (vitest's forks pool
 * runs files in child processes, which may outlive a runner killed with SIGKILL).
 */
export const TEST_PROCESSES: readonly number[] = [process.pid, process.ppid];

/** Every proxy process this worker started and that has not exited yet. */
const running = new Set<ProxyProcess>();

/**
 * `node --import tsx src/main.ts`, configured by `KAFKA_REST_*` environment variables; resolves once /readyz answers.
 * It dies with the test: stopProxyProcess, or stopAllProxyProcesses in an afterAll, or (when the worker or the
 * runner dies first) the 'exit' hook and watchdog of guardChild.
 */
export async function startProxyProcess(env: Record<string, string>): Promise<ProxyProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', `--listeners=http://127.0.0.1:${port}`], {
    cwd: PROJECT_ROOT,
    // A deployment of its own unless the test names one: fault tests share the broker, not their instances.
    env: { ...process.env, KAFKA_REST_LOG_LEVEL: 'info', KAFKA_REST_DEPLOYMENT_NAME: `fault-${port}-${Date.now().toString(36)}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  guardChild(child, 'proxy-under-test-watchdog', TEST_PROCESSES);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const proxy: ProxyProcess = { child, pid: child.pid!, url, exited, output: () => output };
  running.add(proxy);
  void exited.then(() => running.delete(proxy));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the proxy exited early (${child.exitCode}):\n${output}`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) return proxy;
    await sleep(200);
  }
  child.kill('SIGKILL');
  await exited;
  throw new Error(`the proxy did not become ready:\n${output}`);
}

/** SIGTERM (after SIGCONT: a stopped process acts on nothing else), then SIGKILL once `graceMs` is over. */
export async function stopProxyProcess(proxy: ProxyProcess, graceMs = 20_000): Promise<void> {
  const { child } = proxy;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await proxy.exited;
    clearTimeout(timer);
  }
}

/** For afterAll: also ends the processes of a setup that failed or timed out before handing them to the test. */
export async function stopAllProxyProcesses(): Promise<void> {
  await Promise.all([...running].map((proxy) => stopProxyProcess(proxy)));
}

// ------------------------------------------------------------------------------------------------- /proc figures

/** The process's resident set size in KiB (VmRSS). */
export function rssKib(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

/** Established TCP connections the process holds to `port` (read from its fds and /proc/<pid>/net/tcp{,6}). */
export function tcpConnectionsTo(pid: number, port: number): number {
  const inodes = socketInodes(pid);
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  let count = 0;
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      if (fields.length < 10) continue;
      const established = fields[3] === '01';
      if (established && fields[2]!.endsWith(`:${portHex}`) && inodes.has(fields[9]!)) count++;
    }
  }
  return count;
}

export function portOf(bootstrapServers: string): number {
  return Number(bootstrapServers.split(':').pop());
}

// ------------------------------------------------------------------------------------------------ the produce load

export type ProduceDialect = 'v2' | 'v3' | 'upstash';

export interface ProduceTarget {
  readonly baseUrl: string;
  readonly clusterId: string;
  readonly topic: string;
}

export interface ProduceOutcome {
  readonly id: string;
  readonly dialect: ProduceDialect;
  readonly startedAt: number;
  readonly ms: number;
  /** A 2xx with no per-record error: the proxy says Kafka acknowledged the record. */
  readonly acked: boolean;
  /** The HTTP status; 0 when no response came (refused or reset connection, or the client's hard limit). */
  readonly status: number;
  /** When not acked: the dialect's error code (Confluent `error_code`, HTTP-level or per record; Upstash `status`). */
  readonly errorCode?: number;
  /** The response body, or the client-side error. */
  readonly detail: string;
}

interface Sent {
  readonly url: string;
  readonly type: string;
  readonly body: string;
}

function requestFor(target: ProduceTarget, dialect: ProduceDialect, id: string): Sent {
  switch (dialect) {
    case 'v2':
      return { url: `${target.baseUrl}/topics/${target.topic}`, type: 'application/vnd.kafka.json.v2+json', body: JSON.stringify({ records: [{ value: id }] }) };
    case 'v3':
      return {
        url: `${target.baseUrl}/v3/clusters/${target.clusterId}/topics/${target.topic}/records`,
        type: 'application/json',
        body: JSON.stringify({ value: { type: 'STRING', data: id } }),
      };
    case 'upstash':
      return { url: `${target.baseUrl}/upstash/produce/${target.topic}`, type: 'application/json', body: JSON.stringify({ value: id }) };
  }
}

/** Whether the answer says Kafka acknowledged the one record, and otherwise the dialect's error code. */
function verdict(dialect: ProduceDialect, status: number, text: string): { acked: boolean; errorCode?: number } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { acked: false };
  }
  const field = (o: unknown, name: string): unknown => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[name] : undefined);
  const code = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
  if (status !== 200) return { acked: false, ...withCode(code(field(body, dialect === 'upstash' ? 'status' : 'error_code'))) };
  if (dialect === 'upstash') return { acked: true };
  if (dialect === 'v2') {
    const offset = (field(body, 'offsets') as unknown[] | undefined)?.[0];
    const errorCode = code(field(offset, 'error_code'));
    return errorCode === undefined && typeof field(offset, 'offset') === 'number' ? { acked: true } : { acked: false, ...withCode(errorCode) };
  }
  const errorCode = code(field(body, 'error_code'));
  return errorCode === 200 ? { acked: true } : { acked: false, ...withCode(errorCode) };
}

function withCode(errorCode: number | undefined): { errorCode?: number } {
  return errorCode === undefined ? {} : { errorCode };
}

/** One record, its id as the value, through one dialect; never throws. */
export async function produceOnce(target: ProduceTarget, dialect: ProduceDialect, id: string, hardLimitMs: number): Promise<ProduceOutcome> {
  const sent = requestFor(target, dialect, id);
  const startedAt = Date.now();
  try {
    const response = await fetch(sent.url, { method: 'POST', headers: { 'content-type': sent.type }, body: sent.body, signal: AbortSignal.timeout(hardLimitMs) });
    const text = await response.text();
    return { id, dialect, startedAt, ms: Date.now() - startedAt, status: response.status, ...verdict(dialect, response.status, text), detail: text };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = `${(error as Error).name}: ${cause?.code ?? cause?.message ?? (error as Error).message}`;
    return { id, dialect, startedAt, ms: Date.now() - startedAt, acked: false, status: 0, detail };
  }
}

export interface LoadOptions {
  readonly clients: number;
  /** Client i produces through dialects[i % length]. */
  readonly dialects: readonly ProduceDialect[];
  /** The client gives up on a request after this long (a "hang"). */
  readonly hardLimitMs: number;
  /** A client stops when its request finds no server (the proxy is gone). */
  readonly stopOnConnectionError?: boolean;
}

/** Concurrent keep-alive clients, each producing unique ids one request at a time until stopped. */
export class ProduceLoad {
  readonly outcomes: ProduceOutcome[] = [];
  private running = true;
  private inFlightCount = 0;
  private readonly clients: Promise<void>[];

  constructor(
    private readonly target: ProduceTarget,
    private readonly options: LoadOptions,
    private readonly prefix = 'id',
  ) {
    this.clients = Array.from({ length: options.clients }, (_, i) => this.client(i));
  }

  get inFlight(): number {
    return this.inFlightCount;
  }

  async stop(): Promise<ProduceOutcome[]> {
    this.running = false;
    await Promise.all(this.clients);
    return this.outcomes;
  }

  private async client(index: number): Promise<void> {
    const dialect = this.options.dialects[index % this.options.dialects.length]!;
    for (let seq = 0; this.running; seq++) {
      this.inFlightCount++;
      const outcome = await produceOnce(this.target, dialect, `${this.prefix}-${index}-${seq}`, this.options.hardLimitMs);
      this.inFlightCount--;
      this.outcomes.push(outcome);
      if (outcome.status === 0 && this.options.stopOnConnectionError) return;
      // An error that came back at once must not turn the client into a busy loop.
      if (!outcome.acked) await sleep(20);
    }
  }
}

// --------------------------------------------------------------------------------------------------- the witness

/** How often each id occurs in the topic, read from the beginning of every partition with kcat. */
export async function idsInTopic(bootstrapServers: string, topic: string, idPattern = /\b[a-z]+-\d+-\d+\b/): Promise<Map<string, number>> {
  const { stdout } = await run('kcat', ['-C', '-b', bootstrapServers, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%s\n'], {
    timeout: 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  const counts = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const id = idPattern.exec(line)?.[0];
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

export interface Tally {
  readonly acknowledged: number;
  readonly found: number;
  /** Extra copies of acknowledged records. */
  readonly duplicates: number;
  readonly lost: number;
  readonly lostIds: readonly string[];
}

export function tally(ackedIds: readonly string[], inTopic: ReadonlyMap<string, number>): Tally {
  const lostIds = ackedIds.filter((id) => !inTopic.has(id));
  const duplicates = ackedIds.reduce((sum, id) => sum + Math.max(0, (inTopic.get(id) ?? 0) - 1), 0);
  return { acknowledged: ackedIds.length, found: ackedIds.length - lostIds.length, duplicates, lost: lostIds.length, lostIds: lostIds.slice(0, 10) };
}

/** Copies of any record in the topic beyond the first, acknowledged or not. */
export function copiesBeyondFirst(inTopic: ReadonlyMap<string, number>): number {
  let extra = 0;
  for (const count of inTopic.values()) extra += count - 1;
  return extra;
}

/** An admin client on the broker, after creating `topics` and writing `values` to `fill` (the caller disconnects it). */
export async function adminWithTopics(bootstrapServers: string, topics: ITopicConfig[], fill: { topic: string; values: string[] }): Promise<Admin> {
  const kafka = new Kafka({ brokers: [bootstrapServers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics, waitForLeaders: true });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: fill.topic, messages: fill.values.map((value) => ({ value })) });
  await producer.disconnect();
  return admin;
}
