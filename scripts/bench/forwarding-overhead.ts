/**
 * `npm run bench:forwarding`: what one extra hop costs. Two nodes of one deployment on a local broker; a v2 consumer
 * instance lives on node A; `records` calls alternate between A (the holder) and B (which forwards each call to A),
 * all reading the same instance, each returning `consumer.max.poll.records` records. Prints the latency
 * percentiles of both, from one run. Not a test: a figure for docs/scaling.md.
 *
 *   npm run bench:forwarding -- [--calls 1000] [--records-per-call 10] [--record-bytes 100]
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { PROJECT_ROOT } from '../../src/project-paths.js';
import { startLocalBroker } from '../../src/kafka/local-broker.js';
import { buildOurs } from './ours.js';
import { ChildService, freePort, waitUntil } from './processes.js';
import { percentile } from './stats.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const CALLS = option('calls', 1000);
const PER_CALL = option('records-per-call', 10);
const RECORD_BYTES = option('record-bytes', 100);
const V2 = 'application/vnd.kafka.v2+json';
const log = (line: string): void => void process.stderr.write(`[forwarding] ${line}\n`);

async function startNode(mainJs: string, id: string, bootstrapServers: string, dir: string): Promise<{ url: string; service: ChildService }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    KAFKA_REST_BOOTSTRAP_SERVERS: bootstrapServers,
    KAFKA_REST_LISTENERS: url,
    KAFKA_REST_LOG_LEVEL: 'warn',
    KAFKA_REST_ID: id,
    KAFKA_REST_DEPLOYMENT_NAME: 'bench-forwarding',
    KAFKA_REST_CONSUMER_MAX_POLL_RECORDS: String(PER_CALL),
  };
  const service = await ChildService.start(id, process.execPath, [mainJs], { env, cwd: PROJECT_ROOT, logFile: join(dir, `${id}.log`) });
  await waitUntil(`${id} ready`, () => fetch(`${url}/readyz`).then((r) => r.ok, () => false), { timeoutMs: 90_000, service });
  return { url, service };
}

async function timedRecords(url: string): Promise<{ ms: number; count: number; forwarded: boolean }> {
  const started = performance.now();
  const response = await fetch(`${url}/consumers/bench/instances/reader/records?timeout=1000`, { headers: { accept: 'application/vnd.kafka.binary.v2+json' } });
  const body = (await response.json()) as unknown[];
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`records answered ${response.status}: ${JSON.stringify(body)}`);
  return { ms, count: body.length, forwarded: response.headers.get('x-kafka-rest-forwarded-to') !== null };
}

function summary(name: string, samples: readonly number[]): string {
  const fixed = (v: number): string => v.toFixed(2).padStart(7);
  return `${name.padEnd(26)} p50 ${fixed(percentile(samples, 50))} ms   p90 ${fixed(percentile(samples, 90))} ms   p99 ${fixed(percentile(samples, 99))} ms   (${samples.length} calls)`;
}

async function main(): Promise<void> {
  // Inside the project, so that the build finds node_modules.
  const dir = join(PROJECT_ROOT, '.cache', 'bench', `forwarding-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const broker = await startLocalBroker({ log });
  const services: ChildService[] = [];
  try {
    const mainJs = await buildOurs(join(dir, 'build'), log);
    const [owner, other] = await Promise.all([startNode(mainJs, 'owner', broker.bootstrapServers, dir), startNode(mainJs, 'forwarder', broker.bootstrapServers, dir)]);
    services.push(owner.service, other.service);
    const kafka = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: 'bench-forwarding', numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const total = (2 * CALLS + 100) * PER_CALL;
    const value = 'x'.repeat(RECORD_BYTES);
    for (let sent = 0; sent < total; sent += 1000) {
      await producer.send({ topic: 'bench-forwarding', messages: Array.from({ length: Math.min(1000, total - sent) }, () => ({ value })) });
    }
    await producer.disconnect();
    log(`${total} records of ${RECORD_BYTES} bytes in the topic`);
    const create = await fetch(`${owner.url}/consumers/bench`, { method: 'POST', headers: { 'content-type': V2 }, body: JSON.stringify({ name: 'reader', 'auto.offset.reset': 'earliest' }) });
    if (create.status !== 200) throw new Error(`create answered ${create.status}`);
    const subscribe = await fetch(`${owner.url}/consumers/bench/instances/reader/subscription`, { method: 'POST', headers: { 'content-type': V2 }, body: JSON.stringify({ topics: ['bench-forwarding'] }) });
    if (subscribe.status !== 204) throw new Error(`subscribe answered ${subscribe.status}`);
    // Warm up both paths (group joined, buffers filled, connections open) before measuring.
    for (let i = 0; i < 50; i++) await Promise.all([timedRecords(owner.url), timedRecords(other.url)].map((p) => p.catch(() => undefined)));
    const direct: number[] = [];
    const forwarded: number[] = [];
    let short = 0;
    for (let i = 0; i < CALLS; i++) {
      for (const [url, samples] of i % 2 === 0 ? ([[owner.url, direct], [other.url, forwarded]] as const) : ([[other.url, forwarded], [owner.url, direct]] as const)) {
        const call = await timedRecords(url);
        if (call.forwarded !== (url === other.url)) throw new Error('a call was not answered the way it was meant to be');
        if (call.count < PER_CALL) short++;
        samples.push(call.ms);
      }
    }
    console.log(`records calls on one v2 instance, ${PER_CALL} records of ${RECORD_BYTES} bytes each (${short} calls returned fewer)`);
    console.log(summary('at the holder (direct)', direct));
    console.log(summary('at another node (1 hop)', forwarded));
    console.log(`extra hop: p50 +${(percentile(forwarded, 50) - percentile(direct, 50)).toFixed(2)} ms, p99 +${(percentile(forwarded, 99) - percentile(direct, 99)).toFixed(2)} ms`);
  } finally {
    await Promise.allSettled(services.map((s) => s.stop()));
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
