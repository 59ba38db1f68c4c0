/**
 * (b) 100 records per request over 32 keep-alive connections: records/s for our v2 and Upstash dialects and the
 * bridge (v3 takes one record per document: its multi-record form is the stream of (c)); kafkajs with 32
 * concurrent sends of 100 records; and Kafka's ProducerPerformance, the JVM client's ceiling.
 */
import { measureLoad, serverCpuDetail, statusSummary } from '../http-load.js';
import { nativeProduce } from '../native.js';
import { errorMessage } from '../processes.js';
import { runProducerPerformance } from '../producer-performance.js';
import type { ProducerPerformanceRun } from '../producer-performance.js';
import type { Figure } from '../results.js';
import { medianOf } from '../stats.js';
import { produceRequest } from '../subjects.js';
import type { HttpSubject } from '../subjects.js';
import { formatMs, PEER_NOT_RUN, slug, unavailableFigure } from './context.js';
import type { BenchContext, Scenario } from './context.js';

async function measureSubject(context: BenchContext, subject: HttpSubject): Promise<Figure> {
  const { settings } = context;
  const topic = await context.newTopic(`b-${slug(subject.label)}`);
  const request = produceRequest(subject, { topic, clusterId: context.clusterId }, context.value, settings.batchRecords);
  context.log(`(b) ${subject.label}: ${settings.batchRecords} records per request`);
  const load = await measureLoad(request, settings, subject.pid === undefined ? {} : { serverPid: subject.pid });
  const problems = statusSummary(load.runs);
  const { requestsPerSecond, p50Ms, p99Ms } = load.median;
  return {
    metric: 'b.records',
    subject: subject.label,
    kind: subject.kind,
    value: requestsPerSecond * settings.batchRecords,
    runs: load.runs.map((r) => r.requestsPerSecond * settings.batchRecords),
    details: `${Math.round(requestsPerSecond)} req/s · p50 ${formatMs(p50Ms)} · p99 ${formatMs(p99Ms)}${serverCpuDetail(load.runs, settings.batchRecords, 'record')}${problems ? ` · non-2xx: ${problems}` : ''}`,
  };
}

async function measureNative(context: BenchContext): Promise<Figure> {
  const { settings } = context;
  const topic = await context.newTopic('b-native');
  context.log(`(b) kafkajs: ${settings.connections} concurrent sends of ${settings.batchRecords} records`);
  const options = { topic, value: context.value, recordsPerSend: settings.batchRecords, concurrency: settings.connections };
  await nativeProduce(context.kafka, { ...options, seconds: settings.warmupSeconds });
  const runs = [];
  for (let i = 0; i < settings.runs; i++) runs.push(await nativeProduce(context.kafka, { ...options, seconds: settings.loadSeconds }));
  const median = medianOf(runs);
  return {
    metric: 'b.records',
    subject: `kafkajs (${settings.connections} concurrent sends of ${settings.batchRecords})`,
    kind: 'native',
    value: median.recordsPerSecond,
    runs: runs.map((r) => r.recordsPerSecond),
    details: `p50 ${formatMs(median.p50Ms)} · p99 ${formatMs(median.p99Ms)} per send`,
  };
}

async function measureProducerPerformance(context: BenchContext): Promise<Figure> {
  const subject = 'ProducerPerformance (Java client)';
  const { libsDir, unavailable } = context.kafkaTools;
  if (libsDir === undefined) return unavailableFigure('b.records', subject, 'native', unavailable ?? 'kafka-tools not fetched');
  const { settings } = context;
  context.log(`(b) ProducerPerformance: ${settings.producerPerformanceRecords} records`);
  const runs: ProducerPerformanceRun[] = [];
  try {
    for (let i = 0; i < settings.runs; i++) {
      const topic = await context.newTopic('b-producer-performance');
      runs.push(await runProducerPerformance(libsDir, { bootstrapServers: context.bootstrapServers, topic, records: settings.producerPerformanceRecords, recordBytes: settings.recordBytes }));
    }
  } catch (error) {
    return unavailableFigure('b.records', subject, 'native', errorMessage(error));
  }
  const median = medianOf(runs);
  return {
    metric: 'b.records',
    subject,
    kind: 'native',
    value: median.recordsPerSecond,
    runs: runs.map((r) => r.recordsPerSecond),
    details: `${settings.producerPerformanceRecords} records as fast as it can (batches up to 16 KiB), JVM start included`,
  };
}

export const produceBatch: Scenario = async (context) => {
  const figures: Figure[] = [];
  for (const subject of context.ours.filter((s) => s.dialect !== 'v3')) figures.push(await measureSubject(context, subject));
  if (context.peer.subject) figures.push(await measureSubject(context, context.peer.subject));
  else figures.push(unavailableFigure('b.records', 'bridge v2', 'peer', PEER_NOT_RUN));
  figures.push(await measureNative(context));
  figures.push(await measureProducerPerformance(context));
  return figures;
};
