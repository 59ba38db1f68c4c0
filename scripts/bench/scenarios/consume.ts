/**
 * (d) Consume N 100-byte records through a consumer instance, from the beginning of a one-partition topic, each
 * run in a fresh group: our v2 consumer (binary format) and Upstash `consume`, the bridge's v2 consumer, and a
 * kafkajs group consumer. Each subject first reads a smaller topic as its warm-up. Besides records/s, each figure
 * says how much CPU the server process spent per record (from /proc), which other load on the machine disturbs
 * far less than the rate.
 */
import { randomUUID } from 'node:crypto';
import { readAll, UpstashConsumer, V2Consumer } from '../consumers.js';
import type { ReadResult } from '../consumers.js';
import { nativeConsume, nativeProduceCount } from '../native.js';
import { cpuMs, errorMessage } from '../processes.js';
import type { Figure } from '../results.js';
import { median } from '../stats.js';
import type { HttpSubject } from '../subjects.js';
import { PEER_NOT_RUN, unavailableFigure } from './context.js';
import type { BenchContext, Scenario } from './context.js';

const POLL_TIMEOUT_MS = 1_000;
const FILL_RECORDS_PER_SEND = 5_000;

interface Topics {
  readonly warmup: string;
  readonly warmupRecords: number;
  readonly measured: string;
}

function readTimeoutMs(count: number): number {
  return Math.max(60_000, count); // at least 1,000 records/s
}

/** One read of `count` records of `topic` by `subject`, in a fresh group. */
async function readOnce(context: BenchContext, subject: HttpSubject, topic: string, count: number): Promise<ReadResult> {
  const group = `bench-d-${randomUUID()}`;
  const options = { count, timeoutMs: readTimeoutMs(count), expected: context.value };
  if (subject.dialect === 'upstash') {
    const consumer = new UpstashConsumer(subject.baseUrl, group, 'reader', topic);
    try {
      return await readAll(() => consumer.poll(POLL_TIMEOUT_MS), { ...options, decode: (value) => Buffer.from(value, 'utf8') });
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

/** CPU µs per record the process `pid` spent while `run` read `count` records. */
async function withCpu<T>(pid: number | undefined, count: number, run: () => Promise<T>): Promise<{ result: T; cpuMicrosPerRecord?: number }> {
  const before = pid === undefined ? undefined : cpuMs(pid);
  const result = await run();
  const after = pid === undefined ? undefined : cpuMs(pid);
  return before === undefined || after === undefined ? { result } : { result, cpuMicrosPerRecord: ((after - before) * 1000) / count };
}

export function cpuDetail(values: readonly (number | undefined)[], whose: string): string {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length === 0 ? '' : ` · ${whose} CPU ${median(known).toFixed(2)} µs/record`;
}

async function measureSubject(context: BenchContext, subject: HttpSubject, topics: Topics): Promise<Figure> {
  const { settings } = context;
  context.log(`(d) ${subject.label}: reading ${settings.consumeRecords} records`);
  try {
    await readOnce(context, subject, topics.warmup, topics.warmupRecords);
    const runs: { result: ReadResult; cpuMicrosPerRecord?: number }[] = [];
    for (let i = 0; i < settings.runs; i++) {
      runs.push(await withCpu(subject.pid, settings.consumeRecords, () => readOnce(context, subject, topics.measured, settings.consumeRecords)));
    }
    const perPoll = median(runs.map((r) => settings.consumeRecords / r.result.polls));
    return {
      metric: 'd.records',
      subject: subject.label,
      kind: subject.kind,
      value: median(runs.map((r) => r.result.recordsPerSecond)),
      runs: runs.map((r) => r.result.recordsPerSecond),
      details: `${settings.consumeRecords} records, ${Math.round(perPoll)} per poll${cpuDetail(runs.map((r) => r.cpuMicrosPerRecord), 'server')}`,
    };
  } catch (error) {
    return unavailableFigure('d.records', subject.label, subject.kind, errorMessage(error));
  }
}

async function measureNative(context: BenchContext, topics: Topics): Promise<Figure> {
  const { settings } = context;
  context.log(`(d) kafkajs consumer: reading ${settings.consumeRecords} records`);
  const read = (topic: string, count: number): Promise<number> => nativeConsume(context.kafka, { topic, count, timeoutMs: readTimeoutMs(count) });
  await read(topics.warmup, topics.warmupRecords);
  const runs: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < settings.runs; i++) {
    const before = process.cpuUsage();
    runs.push(await read(topics.measured, settings.consumeRecords));
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / settings.consumeRecords);
  }
  return {
    metric: 'd.records',
    subject: 'kafkajs consumer',
    kind: 'native',
    value: median(runs),
    runs,
    details: `${settings.consumeRecords} records, eachBatch${cpuDetail(cpu, 'client')}`,
  };
}

async function fill(context: BenchContext, prefix: string, count: number): Promise<string> {
  const topic = await context.newTopic(prefix);
  await nativeProduceCount(context.kafka, { topic, value: context.value, count, recordsPerSend: FILL_RECORDS_PER_SEND });
  return topic;
}

export const consume: Scenario = async (context) => {
  const { consumeRecords } = context.settings;
  // A tenth of the measured read: enough for a JIT to compile the consume path (5,000 records were not, for the JVM).
  const warmupRecords = Math.max(5_000, Math.round(consumeRecords / 10));
  context.log(`(d) writing ${consumeRecords} records to read`);
  const topics: Topics = { warmup: await fill(context, 'd-warmup', warmupRecords), warmupRecords, measured: await fill(context, 'd', consumeRecords) };
  const figures: Figure[] = [];
  for (const subject of context.ours.filter((s) => s.dialect !== 'v3')) figures.push(await measureSubject(context, subject, topics));
  if (context.peer.subject) figures.push(await measureSubject(context, context.peer.subject, topics));
  else figures.push(unavailableFigure('d.records', 'bridge v2', 'peer', PEER_NOT_RUN));
  figures.push(await measureNative(context, topics));
  return figures;
};
