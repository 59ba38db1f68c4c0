/**
 * `npm run test:contract` (and, with --quick, the bounded pass `npm test` ends with): schemathesis, installed in a
 * project-local virtualenv, runs every phase (examples, coverage, fuzzing, stateful) with every check over the whole
 * bundled spec against a proxy started here on a broker and a Schema Registry of its own (so the schema formats'
 * fields are exercised against a real registry). Settings live in schemathesis.toml; the run's
 * length is the only thing chosen here. Exits with schemathesis's status.
 *
 * CI's log is read by a machine: schemathesis's pytest-style closing banner (`=== 2 warnings in 150s ===`) reads as
 * "a test runner that ran nothing". Its output is passed through line by line without such banners, and the run
 * ends with our own `Contract: N passed, N failed, N skipped` from the JUnit report.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { DEFAULTS, toProxyConfig } from '../src/config/config.js';
import { startLocalBroker } from '../src/kafka/local-broker.js';
import { startProxy } from '../src/proxy.js';
import { startLocalRegistry } from '../src/schema-registry/local-registry.js';
import { BUNDLED_SPEC_PATH, PROJECT_ROOT } from '../src/project-paths.js';

const quick = process.argv.includes('--quick');
/** Examples per operation and phase, and a time budget (fuzzing and stateful testing fill it). */
const LENGTH = quick ? { maxExamples: 8, maxTimeSeconds: 150 } : { maxExamples: 60, maxTimeSeconds: 900 };

const VENV = join(PROJECT_ROOT, '.cache', 'contract-venv');
const REQUIREMENTS = join(PROJECT_ROOT, 'test', 'contract', 'requirements.txt');
const USER = { username: 'contract', password: 'contract-secret' };

function run(command: string, args: readonly string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

/** The virtualenv with the pinned requirements; reinstalled only when requirements.txt changes. */
function ensureSchemathesis(): string {
  const stamp = join(VENV, '.requirements-sha256');
  const wanted = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) {
    process.stderr.write(`[contract] installing ${REQUIREMENTS} into ${VENV}\n`);
    run('python3', ['-m', 'venv', VENV]);
    run(join(VENV, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS]);
    writeFileSync(stamp, wanted);
  }
  return join(VENV, 'bin', 'st');
}

function usersFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-rest-contract-'));
  const path = join(dir, 'users.json');
  writeFileSync(path, JSON.stringify({ users: [{ ...USER, permission: 'admin', topics: '*' }] }));
  return path;
}

/** A pytest-style section banner closing a run, e.g. `==== 2 warnings in 150.08s ====` (ANSI colours aside). */
const CLOSING_BANNER = /^=+ .* in [0-9.]+s.* =+$/;

function withoutAnsi(line: string): string {
  return line.replace(/\u001b\[[0-9;]*m/g, '');
}

/** Copies `from` to `to` line by line, leaving out closing banners. Resolves when `from` ends. */
function passThroughWithoutBanners(from: Readable, to: Writable): Promise<void> {
  const lines = createInterface({ input: from, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!CLOSING_BANNER.test(withoutAnsi(line).trim())) to.write(`${line}\n`);
  });
  return new Promise((resolve) => lines.on('close', resolve));
}

async function schemathesis(st: string, baseUrl: string, reportDir: string): Promise<number> {
  const args = [
    '--config-file', join(PROJECT_ROOT, 'schemathesis.toml'),
    'run', BUNDLED_SPEC_PATH,
    '--url', baseUrl,
    '--auth', `${USER.username}:${USER.password}`,
    '--max-examples', String(LENGTH.maxExamples),
    '--max-time', String(LENGTH.maxTimeSeconds),
    '--report', 'junit', '--report-dir', reportDir,
  ];
  const child = spawn(st, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SCHEMATHESIS_TELEMETRY: 'false', NO_COLOR: '1' },
  });
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  await Promise.all([passThroughWithoutBanners(child.stdout, process.stdout), passThroughWithoutBanners(child.stderr, process.stderr)]);
  return exited;
}

interface JunitCounts {
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
}

/** The totals of the run's JUnit report (one test case per operation); undefined when there is no report. */
function junitCounts(reportDir: string): JunitCounts | undefined {
  const report = readdirSync(reportDir).find((name) => name.endsWith('.xml'));
  if (report === undefined) return undefined;
  const xml = readFileSync(join(reportDir, report), 'utf8');
  const count = (tag: RegExp): number => (xml.match(tag) ?? []).length;
  return {
    tests: count(/<testcase\b/g),
    failures: count(/<failure\b/g),
    errors: count(/<error\b/g),
    skipped: count(/<skipped\b/g),
  };
}

/** The plain closing line a log reader recognises; a run without a report counts as failed. */
function printSummary(reportDir: string, status: number): void {
  const counts = junitCounts(reportDir);
  if (counts === undefined) {
    process.stdout.write(`\nContract: 0 passed, 1 failed (no JUnit report; schemathesis exit ${status})\n`);
    return;
  }
  const failed = counts.failures + counts.errors;
  const passed = counts.tests - failed - counts.skipped;
  process.stdout.write(`\nContract: ${passed} passed, ${failed} failed, ${counts.skipped} skipped\n`);
}

const st = ensureSchemathesis();
// Every local broker has an authorizer, so the ACL operations work on real ACLs.
const [broker, registry] = await Promise.all([
  startLocalBroker({ log: (line) => process.stderr.write(`[local-kafka] ${line}\n`) }),
  startLocalRegistry({ log: (line) => process.stderr.write(`[schema-registry] ${line}\n`) }),
]);
let status = 1;
try {
  const config = toProxyConfig({
    ...DEFAULTS,
    'bootstrap.servers': broker.bootstrapServers,
    'schema.registry.url': registry.url,
    listeners: 'http://127.0.0.1:0',
    'auth.file': usersFile(),
    'log.level': 'error',
    // Long polls may ask for up to 5 minutes; the schema allows it and the server caps it: keep test runs short.
    'consumer.request.max.wait.ms': '2000',
  });
  const proxy = await startProxy(config, pino({ level: config.logLevel }));
  try {
    const reportRoot = join(PROJECT_ROOT, '.cache', 'contract-reports');
    mkdirSync(reportRoot, { recursive: true });
    const reportDir = mkdtempSync(join(reportRoot, 'run-'));
    status = await schemathesis(st, proxy.urls[0]!, reportDir);
    printSummary(reportDir, status);
  } finally {
    await proxy.stop();
  }
} finally {
  await Promise.all([broker.stop(), registry.stop()]);
}
process.exit(status);
