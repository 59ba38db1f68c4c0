/**
 * (a) One 100-byte record per request over 32 keep-alive connections: requests/s and p50/p99 latency for each of
 * our dialects and the bridge, 32 concurrent one-record sends with kafkajs, and the p99 of each of our dialects at
 * half its own maximum rate (evenly paced by vegeta: paced-load.ts).
 */
import { measureLoad, serverCpuDetail, statusSummary } from '../http-load.js';
import type { LoadMeasurement } from '../http-load.js';
import { nativeProduce } from '../native.js';
import type { Figure } from '../results.js';
import { medianOf } from '../stats.js';
import { produceRequest } from '../subjects.js';
import type { HttpSubject } from '../subjects.js';
import { formatMs, PEER_NOT_RUN, slug, unavailableFigure } from './context.js';
import type { BenchContext, Scenario } from './context.js';

function loadDetails(measurement: LoadMeasurement): string {
  const { p50Ms, p99Ms } = measurement.median;
  const problems = statusSummary(measurement.runs);
  const errors = measurement.runs.reduce((sum, run) => sum + run.errors, 0);
  const cpu = serverCpuDetail(measurement.runs).replace(/^ · /, '');
  return [`p50 ${formatMs(p50Ms)}`, `p99 ${formatMs(p99Ms)}`, cpu, problems && `non-2xx: ${problems}`, errors > 0 && `${errors} connection errors`]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join(' · ');
}

async function measureSubject(context: BenchContext, subject: HttpSubject): Promise<Figure[]> {
  const topic = await context.newTopic(`a-${slug(subject.label)}`);
  const request = produceRequest(subject, { topic, clusterId: context.clusterId }, context.value, 1);
  context.log(`(a) ${subject.label}: max rate`);
  const server = subject.pid === undefined ? {} : { serverPid: subject.pid };
  const max = await measureLoad(request, context.settings, server);
  const figures: Figure[] = [
    { metric: 'a.rps', subject: subject.label, kind: subject.kind, value: max.median.requestsPerSecond, runs: max.runs.map((r) => r.requestsPerSecond), details: loadDetails(max) },
  ];
  const vegeta = context.vegeta.binary;
  if (subject.kind === 'ours' && vegeta === undefined) figures.push(unavailableFigure('a.p99half', subject.label, 'ours', `no vegeta: ${context.vegeta.unavailable ?? ''}`));
  else if (subject.kind === 'ours' && vegeta !== undefined && max.median.requestsPerSecond > 0) {
    const rate = Math.max(1, Math.round(max.median.requestsPerSecond / 2));
    context.log(`(a) ${subject.label}: p99 at ${rate} req/s`);
    const half = await measureLoad(request, context.settings, { ...server, paced: { rate, vegeta } });
    figures.push({
      metric: 'a.p99half',
      subject: subject.label,
      kind: 'ours',
      value: half.median.p99Ms,
      runs: half.runs.map((r) => r.p99Ms),
      details: `at ${rate} req/s: ${loadDetails(half)}`,
    });
  }
  return figures;
}

async function measureNative(context: BenchContext): Promise<Figure> {
  const { settings } = context;
  const topic = await context.newTopic('a-native');
  context.log(`(a) kafkajs: ${settings.connections} concurrent one-record sends`);
  const options = { topic, value: context.value, recordsPerSend: 1, concurrency: settings.connections };
  await nativeProduce(context.kafka, { ...options, seconds: settings.warmupSeconds });
  const runs = [];
  for (let i = 0; i < settings.runs; i++) runs.push(await nativeProduce(context.kafka, { ...options, seconds: settings.loadSeconds }));
  const median = medianOf(runs);
  return {
    metric: 'a.rps',
    subject: `kafkajs (${settings.connections} concurrent sends)`,
    kind: 'native',
    value: median.sendsPerSecond,
    runs: runs.map((r) => r.sendsPerSecond),
    details: `p50 ${formatMs(median.p50Ms)} · p99 ${formatMs(median.p99Ms)}${median.errors > 0 ? ` · ${median.errors} errors` : ''}`,
  };
}

export const produceSingle: Scenario = async (context) => {
  const figures: Figure[] = [];
  for (const subject of context.ours) figures.push(...(await measureSubject(context, subject)));
  if (context.peer.subject) figures.push(...(await measureSubject(context, context.peer.subject)));
  else figures.push(unavailableFigure('a.rps', 'bridge v2', 'peer', PEER_NOT_RUN));
  figures.push(await measureNative(context));
  return figures;
};
