/**
 * (d) Consume N 100-byte records through a consumer instance, from the beginning of a one-partition topic, each
 * run in a fresh group: our v2 consumer (binary format) and Upstash `consume`, the bridge's v2 consumer, and a
 * kafkajs group consumer. Each subject first reads a small topic as its warm-up.
 */
import { randomUUID } from 'node:crypto';
import { readAll, UpstashConsumer, V2Consumer } from '../consumers.js';
import { nativeConsume, nativeProduceCount } from '../native.js';
import { errorMessage } from '../processes.js';
import type { Figure } from '../results.js';
import { median } from '../stats.js';
import type { HttpSubject } from '../subjects.js';
import { PEER_NOT_RUN, unavailableFigure } from './context.js';
import type { BenchContext, Scenario } from './context.js';

const WARMUP_RECORDS = 5_000;
const POLL_TIMEOUT_MS = 1_000;
const FILL_RECORDS_PER_SEND = 5_000;

interface Topics {
  readonly warmup: string;
  readonly measured: string;
}

function readTimeoutMs(count: number): number {
  return Math.max(60_000, count); // at least 1,000 records/s
}

/** One read of `count` records of `topic` by `subject`, in a fresh group; records/s. */
async function readOnce(context: BenchContext, subject: HttpSubject, topic: string, count: number): Promise<number> {
  const group = `bench-d-${randomUUID()}`;
  const options = { count, timeoutMs: readTimeoutMs(count), expected: context.value };
  if (subject.dialect === 'upstash') {
    const consumer = new UpstashConsumer(subject.baseUrl, group, 'reader', topic);
    try {
      return await readAll((() => consumer.poll(POLL_TIMEOUT_MS)), { ...options, decode: (value) => Buffer.from(value, 'utf8') });
    } finally {
      await consumer.delete().catch(() => undefined);
    }
  }
  const consumer = await V2Consumer.create(subject.baseUrl, group, 'reader', topic);
  try {
    return await readAll(() => consumer.poll(POLL_TIMEOUT_MS), { ...options, decode: (value) => Buffer.from(value, 'base64') });
  } finally {
    await consumer.delete().catch(() => undefined);
  }
}

async function measureSubject(context: BenchContext, subject: HttpSubject, topics: Topics): Promise<Figure> {
  const { settings } = context;
  context.log(`(d) ${subject.label}: reading ${settings.consumeRecords} records`);
  try {
    await readOnce(context, subject, topics.warmup, WARMUP_RECORDS);
    const runs: number[] = [];
    for (let i = 0; i < settings.runs; i++) runs.push(await readOnce(context, subject, topics.measured, settings.consumeRecords));
    return { metric: 'd.records', subject: subject.label, kind: subject.kind, value: median(runs), runs, details: `${settings.consumeRecords} records, polls of ≤ 500` };
  } catch (error) {
    return unavailableFigure('d.records', subject.label, subject.kind, errorMessage(error));
  }
}

async function measureNative(context: BenchContext, topics: Topics): Promise<Figure> {
  const { settings } = context;
  context.log(`(d) kafkajs consumer: reading ${settings.consumeRecords} records`);
  await nativeConsume(context.kafka, { topic: topics.warmup, count: WARMUP_RECORDS, timeoutMs: readTimeoutMs(WARMUP_RECORDS) });
  const runs: number[] = [];
  for (let i = 0; i < settings.runs; i++) {
    runs.push(await nativeConsume(context.kafka, { topic: topics.measured, count: settings.consumeRecords, timeoutMs: readTimeoutMs(settings.consumeRecords) }));
  }
  return { metric: 'd.records', subject: 'kafkajs consumer', kind: 'native', value: median(runs), runs, details: `${settings.consumeRecords} records, eachBatch` };
}

async function fill(context: BenchContext, prefix: string, count: number): Promise<string> {
  const topic = await context.newTopic(prefix);
  await nativeProduceCount(context.kafka, { topic, value: context.value, count, recordsPerSend: FILL_RECORDS_PER_SEND });
  return topic;
}

export const consume: Scenario = async (context) => {
  context.log(`(d) writing ${context.settings.consumeRecords} records to read`);
  const topics: Topics = { warmup: await fill(context, 'd-warmup', WARMUP_RECORDS), measured: await fill(context, 'd', context.settings.consumeRecords) };
  const figures: Figure[] = [];
  for (const subject of context.ours.filter((s) => s.dialect !== 'v3')) figures.push(await measureSubject(context, subject, topics));
  if (context.peer.subject) figures.push(await measureSubject(context, context.peer.subject, topics));
  else figures.push(unavailableFigure('d.records', 'bridge v2', 'peer', PEER_NOT_RUN));
  figures.push(await measureNative(context, topics));
  return figures;
};
