/**
 * `npm run bench` (issue 7): on one local broker, in one run, measures our proxy against the Strimzi Kafka Bridge
 * (the peer) and against kafkajs / Kafka's ProducerPerformance (the native limit) in scenarios (a)–(f), prints the
 * tables and writes docs/benchmarks.md with docs/benchmarks.svg. `--quick` is the short version; see settings.ts.
 * Everything it starts it stops, also on Ctrl-C and on failure.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startLocalBroker } from '../../src/kafka/local-broker.js';
import { PROJECT_ROOT } from '../../src/project-paths.js';
import { renderRatioChart } from './chart.js';
import { Cleanup } from './cleanup.js';
import { ScenarioProfiler, summarizeProxyLog } from './diagnostics.js';
import type { LogSummary, ScenarioProfile } from './diagnostics.js';
import { describeMachine } from './machine.js';
import { createTopic, nativeKafka } from './native.js';
import { buildOurs } from './ours.js';
import { ensureBridgeRuntime } from './bridge-build.js';
import { ensureVegeta } from './vegeta-build.js';
import { errorMessage } from './processes.js';
import type { Log } from './processes.js';
import { ensureKafkaToolsClasspath } from './producer-performance.js';
import { chartRows, renderMarkdown, renderText } from './report.js';
import type { BenchReport } from './report.js';
import { ratios, targetChecks } from './results.js';
import type { Figure } from './results.js';
import { consume } from './scenarios/consume.js';
import type { BenchContext, Scenario } from './scenarios/context.js';
import { idleConsumers } from './scenarios/idle-consumers.js';
import { produceBatch } from './scenarios/produce-batch.js';
import { produceSingle } from './scenarios/produce-single.js';
import { produceStream } from './scenarios/produce-stream.js';
import { startup } from './scenarios/startup.js';
import { fixedRate } from './scenarios/fixed-rate.js';
import { twoNodes } from './scenarios/two-nodes.js';
import { parseSettings, SCENARIO_IDS, UsageError } from './settings.js';
import type { BenchSettings, ScenarioId } from './settings.js';
import { settle, startServers, warmUpServers } from './servers.js';
import { oursSubjects, recordValue } from './subjects.js';

const SCENARIOS: Readonly<Record<ScenarioId, Scenario>> = {
  a: produceSingle,
  b: produceBatch,
  c: produceStream,
  d: consume,
  e: idleConsumers,
  f: startup,
  g: fixedRate,
  h: twoNodes,
};

const DOCS_MARKDOWN = join(PROJECT_ROOT, 'docs', 'benchmarks.md');
const DOCS_CHART = join(PROJECT_ROOT, 'docs', 'benchmarks.svg');
/** Hand-written: where the time goes and what was tried; every run copies it into docs/benchmarks.md. */
const FINDINGS = join(PROJECT_ROOT, 'scripts', 'bench', 'findings.md');

const log: Log = (line) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function onSignals(cleanup: Cleanup): void {
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      // A second signal exits at once; the children's 'exit' hooks still kill them.
      if (interrupted) process.exit(130);
      interrupted = true;
      log(`${signal}: stopping everything this run started`);
      void cleanup.runAll().finally(() => process.exit(130));
    });
  }
}

interface Measured {
  readonly figures: Figure[];
  readonly bridgeRan: boolean;
  /** Which bridge ran (version and where it was built from). */
  readonly bridge?: string;
  readonly notes: string[];
  readonly proxyLog?: LogSummary;
  readonly profiles?: ScenarioProfile[];
}

async function measure(settings: BenchSettings, cleanup: Cleanup, runDir: string): Promise<Measured> {
  const notes: string[] = [];
  log('preparing: broker, proxy build, bridge and kafka-tools classpaths (in parallel)');
  const brokerStart = startLocalBroker({ log: (line) => log(`kafka: ${line}`) }).then((broker) => {
    cleanup.add('the broker', () => broker.stop());
    return broker;
  });
  const paced = settings.scenarios.has('a') || settings.scenarios.has('g');
  const [broker, build, bridgeRuntime, toolsLibs, vegeta] = await Promise.all([
    settle(brokerStart),
    settle(buildOurs(join(runDir, 'dist'), log)),
    settings.peer ? settle(ensureBridgeRuntime(log)) : Promise.resolve({ error: 'skipped (--no-peer)' }),
    settings.scenarios.has('b') ? settle(ensureKafkaToolsClasspath(log)) : Promise.resolve({ error: 'not needed' }),
    paced ? settle(ensureVegeta(log)) : Promise.resolve({ error: 'not needed' }),
  ]);
  if (paced && 'error' in vegeta) notes.push(`No fixed-rate figure ((a) at half rate, (g)): vegeta, their load generator, is missing: ${vegeta.error}.`);
  if ('error' in broker) throw new Error(`the broker did not start: ${broker.error}`);
  if ('error' in build) throw new Error(`the proxy did not build: ${build.error}`);
  if ('error' in bridgeRuntime) {
    log(`the bridge will not be measured: ${bridgeRuntime.error}`);
    notes.push(`The Strimzi Kafka Bridge was not measured: ${bridgeRuntime.error}. Every ours/bridge ratio is missing from this run.`);
  }

  const kafka = nativeKafka(broker.value.bootstrapServers);
  const admin = kafka.admin();
  await admin.connect();
  cleanup.add('the native admin client', () => admin.disconnect());
  const servers = await startServers({ settings, cleanup, log, broker: broker.value, runDir, mainJs: build.value, bridgeRuntime });
  if (servers.peer.unavailable && !('error' in bridgeRuntime)) notes.push(`The bridge was not measured: ${servers.peer.unavailable}`);

  let topics = 0;
  const runTag = Date.now().toString(36);
  const context: BenchContext = {
    settings,
    log,
    cleanup,
    bootstrapServers: broker.value.bootstrapServers,
    clusterId: broker.value.clusterId,
    kafka,
    admin,
    value: recordValue(settings.recordBytes),
    ours: oursSubjects(servers.ours.baseUrl, servers.ours.service.pid),
    oursLauncher: servers.oursLauncher,
    peer: servers.peer,
    vegeta: 'error' in vegeta ? { unavailable: vegeta.error } : { binary: vegeta.value },
    kafkaTools: 'error' in toolsLibs ? { unavailable: toolsLibs.error } : { libsDir: toolsLibs.value },
    newTopic: async (prefix) => {
      const topic = `bench-${prefix}-${runTag}-${++topics}`;
      await createTopic(admin, topic);
      return topic;
    },
  };

  notes.push(...(await warmUpServers(context)));
  const figures: Figure[] = [];
  const profiler = settings.profile ? new ScenarioProfiler(servers.ours.service.pid, join(runDir, 'profile')) : undefined;
  const profiles: ScenarioProfile[] = [];
  for (const id of SCENARIO_IDS.filter((s) => settings.scenarios.has(s))) {
    const started = performance.now();
    profiler?.start();
    try {
      figures.push(...(await SCENARIOS[id](context)));
    } catch (error) {
      log(`(${id}) failed: ${errorMessage(error)}`);
      notes.push(`Scenario (${id}) failed: ${errorMessage(error)}`);
    }
    if (profiler) profiles.push(await profiler.stop(id));
    log(`(${id}) done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }

  await servers.ours.service.stop();
  await servers.bridge?.service.stop();
  const proxyLog = await summarizeProxyLog(servers.ours.service.logFile);
  const bridge = 'error' in bridgeRuntime ? undefined : bridgeRuntime.value.description;
  return { figures, bridgeRan: servers.bridge !== undefined, ...(bridge ? { bridge } : {}), notes, proxyLog, ...(profiler ? { profiles } : {}) };
}

async function main(argv: readonly string[]): Promise<number> {
  let settings: BenchSettings;
  try {
    settings = parseSettings(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const startedAt = new Date();
  const machine = describeMachine();
  const cleanup = new Cleanup(log);
  onSignals(cleanup);
  const runDir = join(PROJECT_ROOT, '.cache', 'bench', 'runs', `${startedAt.toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  await mkdir(join(runDir, 'logs'), { recursive: true });
  cleanup.add('the build output', () => rm(join(runDir, 'dist'), { recursive: true, force: true }));
  log(`${settings.quick ? 'quick' : 'full'} run; logs in ${runDir}/logs`);
  let measured: Measured;
  try {
    measured = await measure(settings, cleanup, runDir);
  } finally {
    await cleanup.runAll();
  }
  const report: BenchReport = {
    settings,
    machine,
    bridgeVersion: measured.bridgeRan ? (measured.bridge ?? 'unknown') : 'not run',
    startedAt,
    durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
    loadAtEnd: loadavg()[0] ?? Number.NaN,
    figures: measured.figures,
    ratios: ratios(measured.figures),
    targets: targetChecks(measured.figures),
    notes: measured.notes,
    ...(measured.proxyLog ? { proxyLog: measured.proxyLog } : {}),
    ...(measured.profiles ? { profiles: measured.profiles } : {}),
    findings: await readFile(FINDINGS, 'utf8').catch(() => ''),
  };
  process.stdout.write(`\n${renderText(report)}`);
  if (settings.writeDocs) {
    const title = `kafka-rest-ts: ratios (${settings.quick ? 'quick' : 'full'} run, ${startedAt.toISOString().slice(0, 10)})`;
    const footnote = measured.bridgeRan ? undefined : 'No ours ÷ bridge bars: the bridge was not run (see benchmarks.md).';
    await writeFile(DOCS_CHART, renderRatioChart(chartRows(report.ratios), title, footnote) + '\n');
    await writeFile(DOCS_MARKDOWN, renderMarkdown(report, 'benchmarks.svg'));
    log(`wrote ${DOCS_MARKDOWN} and ${DOCS_CHART}`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
