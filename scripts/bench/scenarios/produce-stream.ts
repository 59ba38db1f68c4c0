/**
 * (c) v3 streaming produce over one connection: one chunked POST of N concatenated records, the reports read as
 * they come (one line per record); records/s from the first byte sent to the last report. The native reference
 * sends the same N records with kafkajs, 500 per send, one send at a time. The bridge has no streaming produce.
 */
import { Agent, request } from 'node:http';
import { nativeProduceCount } from '../native.js';
import type { Figure } from '../results.js';
import { cpuMs } from '../processes.js';
import { median } from '../stats.js';
import type { HttpSubject } from '../subjects.js';
import type { BenchContext, Scenario } from './context.js';

const RECORDS_PER_WRITE = 200;
const NATIVE_RECORDS_PER_SEND = 500;

interface StreamRun {
  readonly recordsPerSecond: number;
  readonly failed: number;
  readonly firstFailure?: string;
}

function streamOnce(subject: HttpSubject, context: BenchContext, topic: string, count: number): Promise<StreamRun> {
  const url = `${subject.baseUrl}/v3/clusters/${encodeURIComponent(context.clusterId)}/topics/${encodeURIComponent(topic)}/records`;
  const line = JSON.stringify({ value: { type: 'BINARY', data: context.value.toString('base64') } }) + '\n';
  const chunk = line.repeat(RECORDS_PER_WRITE);
  const agent = new Agent({ keepAlive: false });
  return new Promise<StreamRun>((resolve, reject) => {
    const started = performance.now();
    let reports = 0;
    let failed = 0;
    let firstFailure: string | undefined;
    let partial = '';
    const post = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (response) => {
      if (response.statusCode !== 200) {
        reject(new Error(`stream answered HTTP ${response.statusCode}`));
        response.resume();
        return;
      }
      response.setEncoding('utf8');
      response.on('data', (text: string) => {
        const lines = (partial + text).split('\n');
        partial = lines.pop() ?? '';
        for (const report of lines) {
          if (report === '') continue;
          reports++;
          if (!report.startsWith('{"error_code":200')) {
            failed++;
            firstFailure ??= report.slice(0, 200);
          }
        }
      });
      response.on('end', () => {
        const seconds = (performance.now() - started) / 1000;
        if (reports !== count) reject(new Error(`the stream answered ${reports} reports for ${count} records`));
        else resolve({ recordsPerSecond: (count - failed) / seconds, failed, ...(firstFailure ? { firstFailure } : {}) });
      });
    });
    post.on('error', reject);
    // Writes respect backpressure: the proxy stops reading while too many records of the stream wait for Kafka.
    const write = (sent: number): void => {
      let next = sent;
      while (next < count) {
        const records = Math.min(RECORDS_PER_WRITE, count - next);
        const ok = post.write(records === RECORDS_PER_WRITE ? chunk : line.repeat(records));
        next += records;
        if (!ok) {
          post.once('drain', () => write(next));
          return;
        }
      }
      post.end();
    };
    write(0);
  }).finally(() => agent.destroy());
}

async function measureOurs(context: BenchContext, subject: HttpSubject): Promise<Figure> {
  const { settings } = context;
  const topic = await context.newTopic('c-ours-v3');
  context.log(`(c) ${subject.label}: streams of ${settings.streamRecords} records`);
  await streamOnce(subject, context, topic, Math.max(1_000, Math.round(settings.streamRecords / 10)));
  const runs: StreamRun[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < settings.runs; i++) {
    const before = subject.pid === undefined ? undefined : cpuMs(subject.pid);
    runs.push(await streamOnce(subject, context, topic, settings.streamRecords));
    const after = subject.pid === undefined ? undefined : cpuMs(subject.pid);
    if (before !== undefined && after !== undefined) cpu.push(((after - before) * 1000) / settings.streamRecords);
  }
  const failed = runs.reduce((sum, run) => sum + run.failed, 0);
  const firstFailure = runs.find((run) => run.firstFailure)?.firstFailure;
  return {
    metric: 'c.records',
    subject: `${subject.label} stream`,
    kind: 'ours',
    value: median(runs.map((r) => r.recordsPerSecond)),
    runs: runs.map((r) => r.recordsPerSecond),
    details: `${settings.streamRecords} records per stream${cpu.length > 0 ? ` · server CPU ${median(cpu).toFixed(2)} µs/record` : ''}${failed > 0 ? ` · ${failed} failed reports, e.g. ${firstFailure}` : ''}`,
  };
}

async function measureNative(context: BenchContext): Promise<Figure> {
  const { settings } = context;
  const topic = await context.newTopic('c-native');
  context.log(`(c) kafkajs: ${settings.streamRecords} records, ${NATIVE_RECORDS_PER_SEND} per send`);
  const options = { topic, value: context.value, recordsPerSend: NATIVE_RECORDS_PER_SEND };
  await nativeProduceCount(context.kafka, { ...options, count: Math.max(1_000, Math.round(settings.streamRecords / 10)) });
  const runs: number[] = [];
  for (let i = 0; i < settings.runs; i++) runs.push(await nativeProduceCount(context.kafka, { ...options, count: settings.streamRecords }));
  return {
    metric: 'c.records',
    subject: `kafkajs (sends of ${NATIVE_RECORDS_PER_SEND}, one at a time)`,
    kind: 'native',
    value: median(runs),
    runs,
    details: `${settings.streamRecords} records`,
  };
}

export const produceStream: Scenario = async (context) => {
  const v3 = context.ours.find((s) => s.dialect === 'v3');
  if (!v3) throw new Error('no v3 subject');
  return [await measureOurs(context, v3), await measureNative(context)];
};
