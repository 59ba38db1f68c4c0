/**
 * What the group-less PartitionReader buys over the alternative "consumer with a fresh private group + seek".
 * Starts its own local broker, writes 200,000 records of 100 bytes to a 1-partition topic, then measures:
 *   (a) the reader: sequential reads of 1,000 records from offset 0 to the end (records/s), and the latency of a
 *       single 1-record read at a random offset (over 200 reads);
 *   (b) a kafkajs consumer in a fresh group, seek, first message, disconnect (over 20 reads).
 * Usage: npx tsx scripts/bench/partition-reader.ts
 */
import { randomBytes, randomInt } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { startLocalBroker } from '../../src/kafka/local-broker.js';
import { PartitionReader } from '../../src/kafka/partition-reader.js';

const RECORDS = 200_000;
const RECORD_BYTES = 100;
const PRODUCE_CHUNK = 5_000;
const READ_CHUNK = 1_000;
const SMALL_READS = 200;
const CONSUMER_READS = 20;
const TOPIC = 'bench-partition-reader';

interface Row {
  measure: string;
  value: string;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const ms = (value: number): string => `${value.toFixed(2)} ms`;

async function produce(kafka: Kafka, admin: Admin): Promise<number> {
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }], waitForLeaders: true });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const started = performance.now();
  for (let sent = 0; sent < RECORDS; sent += PRODUCE_CHUNK) {
    const messages = Array.from({ length: PRODUCE_CHUNK }, () => ({ value: randomBytes(RECORD_BYTES) }));
    await producer.send({ topic: TOPIC, acks: 1, messages });
  }
  await producer.disconnect();
  return performance.now() - started;
}

async function sequentialRead(reader: PartitionReader, maxBytesPerPartition?: number): Promise<number> {
  let offset = 0;
  const started = performance.now();
  while (offset < RECORDS) {
    const options = { timeoutMs: 1_000, maxRecordsPerPartition: READ_CHUNK, maxBytesPerPartition };
    const [records = []] = await reader.read([{ topic: TOPIC, partition: 0, offset }], options);
    if (records.length === 0) throw new Error(`no records at offset ${offset}`);
    offset = Number(records.at(-1)?.offset) + 1;
  }
  return (RECORDS / (performance.now() - started)) * 1_000;
}

async function smallReads(reader: PartitionReader): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < SMALL_READS; i += 1) {
    const started = performance.now();
    const [records = []] = await reader.read([{ topic: TOPIC, partition: 0, offset: randomInt(RECORDS) }], {
      timeoutMs: 1_000,
      maxRecordsPerPartition: 1,
    });
    samples.push(performance.now() - started);
    if (records.length !== 1) throw new Error('expected one record');
  }
  return samples;
}

/** The alternative design: every read joins a brand-new group, seeks, takes one message and leaves. */
async function consumerSeekRead(kafka: Kafka, groupId: string, offset: number): Promise<number> {
  const started = performance.now();
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [TOPIC] });
  const first = new Promise<void>((resolve) => {
    void consumer.run({ autoCommit: false, eachMessage: async () => resolve() });
  });
  consumer.seek({ topic: TOPIC, partition: 0, offset: String(offset) });
  await first;
  const elapsed = performance.now() - started;
  await consumer.disconnect();
  return elapsed;
}

async function consumerSeekReads(kafka: Kafka, admin: Admin): Promise<number[]> {
  const samples: number[] = [];
  const groups: string[] = [];
  for (let i = 0; i < CONSUMER_READS; i += 1) {
    groups.push(`bench-seek-${i}-${randomInt(1e9)}`);
    samples.push(await consumerSeekRead(kafka, groups[i] ?? '', randomInt(RECORDS)));
  }
  await admin.deleteGroups(groups).catch(() => undefined);
  return samples;
}

async function main(): Promise<void> {
  const broker = await startLocalBroker({ log: (line) => process.stderr.write(`[local-kafka] ${line}\n`) });
  const kafka = new Kafka({ brokers: [broker.bootstrapServers], clientId: 'bench', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const reader = new PartitionReader(kafka);
  const rows: Row[] = [];
  try {
    await admin.connect();
    const produceMs = await produce(kafka, admin);
    const perSecond = (rate: number): string => `${Math.round(rate)} records/s`;
    rows.push({ measure: `produce ${RECORDS} x ${RECORD_BYTES} B (kafkajs, acks=1)`, value: perSecond((RECORDS / produceMs) * 1_000) });
    await reader.connect();
    await sequentialRead(reader); // warm-up: JIT, page cache
    const sequential = `reader: sequential reads of ${READ_CHUNK}`;
    rows.push({ measure: `${sequential} (default 1 MiB/partition)`, value: perSecond(await sequentialRead(reader)) });
    rows.push({ measure: `${sequential} (maxBytes 160 KiB)`, value: perSecond(await sequentialRead(reader, 160 * 1024)) });
    const small = await smallReads(reader);
    rows.push({ measure: `reader: 1 record at a random offset, p50 of ${SMALL_READS}`, value: ms(percentile(small, 50)) });
    rows.push({ measure: `reader: 1 record at a random offset, p99 of ${SMALL_READS}`, value: ms(percentile(small, 99)) });
    const seek = await consumerSeekReads(kafka, admin);
    rows.push({ measure: `consumer, fresh group + seek, p50 of ${CONSUMER_READS}`, value: ms(percentile(seek, 50)) });
    rows.push({ measure: `consumer, fresh group + seek, max of ${CONSUMER_READS}`, value: ms(Math.max(...seek)) });
  } finally {
    await reader.disconnect();
    await admin.disconnect().catch(() => undefined);
    await broker.stop();
  }
  const width = Math.max(...rows.map((r) => r.measure.length));
  console.log(`\n${'measure'.padEnd(width)} | value`);
  console.log(`${'-'.repeat(width)}-|-${'-'.repeat(20)}`);
  for (const row of rows) console.log(`${row.measure.padEnd(width)} | ${row.value}`);
}

await main();
