/**
 * `npm run test:contract` (and, with --quick, the bounded pass `npm test` ends with): schemathesis, installed in a
 * project-local virtualenv, runs every phase (examples, coverage, fuzzing, stateful) with every check over the whole
 * bundled spec against a proxy started here on a broker of its own. Settings live in schemathesis.toml; the run's
 * length is the only thing chosen here. Exits with schemathesis's status.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { DEFAULTS, toProxyConfig } from '../src/config/config.js';
import { startLocalBroker } from '../src/kafka/local-broker.js';
import { startProxy } from '../src/proxy.js';
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

function schemathesis(st: string, baseUrl: string, reportDir: string): Promise<number> {
  const args = [
    '--config-file', join(PROJECT_ROOT, 'schemathesis.toml'),
    'run', BUNDLED_SPEC_PATH,
    '--url', baseUrl,
    '--auth', `${USER.username}:${USER.password}`,
    '--max-examples', String(LENGTH.maxExamples),
    '--max-time', String(LENGTH.maxTimeSeconds),
    '--report', 'junit', '--report-dir', reportDir,
  ];
  const child = spawn(st, args, { stdio: 'inherit', env: { ...process.env, SCHEMATHESIS_TELEMETRY: 'false' } });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

/**
 * One plain closing line from the run's JUnit report (one test case per operation), so a log reader sees what ran
 * without parsing schemathesis's pytest-style banner.
 */
function printSummary(reportDir: string, status: number): void {
  const report = readdirSync(reportDir).find((name) => name.endsWith('.xml'));
  const xml = report === undefined ? '' : readFileSync(join(reportDir, report), 'utf8');
  const count = (attribute: string): string => /<testsuites\b[^>]*/.exec(xml)?.[0].match(new RegExp(`\\b${attribute}="(\\d+)"`))?.[1] ?? '?';
  process.stdout.write(
    `\nContract tests: ${count('tests')} operations tested, ${count('failures')} failed, ${count('errors')} errors` +
      ` (schemathesis exit ${status})\n`,
  );
}

const st = ensureSchemathesis();
const broker = await startLocalBroker({
  log: (line) => process.stderr.write(`[local-kafka] ${line}\n`),
  // With an authorizer, so the ACL operations work on real ACLs (PLAINTEXT clients are User:ANONYMOUS).
  extraServerProperties: { 'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer', 'super.users': 'User:ANONYMOUS' },
});
let status = 1;
try {
  const config = toProxyConfig({
    ...DEFAULTS,
    'bootstrap.servers': broker.bootstrapServers,
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
  await broker.stop();
}
process.exit(status);
