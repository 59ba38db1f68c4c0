/**
 * The native limit: the same work done with kafkajs in this process — an idempotent producer with acks=-1 (as our
 * proxy's), and a group consumer.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { Admin, Message } from 'kafkajs';
import { percentile } from './stats.js';

export function nativeKafka(bootstrapServers: string): Kafka {
  return new Kafka({ clientId: 'kafka-rest-bench', brokers: [bootstrapServers], logLevel: logLevel.ERROR });
}

export async function createTopic(admin: Admin, topic: string, partitions = 1): Promise<void> {
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
}

export interface NativeProduceRun {
  readonly recordsPerSecond: number;
  readonly sendsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

/**
 * `concurrency` loops, each sending `recordsPerSend` records per `send` and awaiting it, for `seconds` — what
 * `concurrency` HTTP clients do to the proxy, done directly.
 */
export async function nativeProduce(
  kafka: Kafka,
  options: { topic: string; value: Buffer; recordsPerSend: number; concurrency: number; seconds: number },
): Promise<NativeProduceRun> {
  const producer = kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const messages: Message[] = Array.from({ length: options.recordsPerSend }, () => ({ value: options.value }));
    const latencies: number[] = [];
    let errors = 0;
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < deadline) {
          const sent = performance.now();
          try {
            await producer.send({ topic: options.topic, acks: -1, messages });
            latencies.push(performance.now() - sent);
          } catch {
            errors++;
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return {
      recordsPerSecond: (latencies.length * options.recordsPerSend) / seconds,
      sendsPerSecond: latencies.length / seconds,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      errors,
    };
  } finally {
    await producer.disconnect();
  }
}

/** Sends `count` records in sends of `recordsPerSend`, one send at a time; returns records per second. */
export async function nativeProduceCount(kafka: Kafka, options: { topic: string; value: Buffer; count: number; recordsPerSend: number }): Promise<number> {
  const producer = kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const started = performance.now();
    for (let sent = 0; sent < options.count; sent += options.recordsPerSend) {
      const size = Math.min(options.recordsPerSend, options.count - sent);
      await producer.send({ topic: options.topic, acks: -1, messages: Array.from({ length: size }, () => ({ value: options.value })) });
    }
    return options.count / ((performance.now() - started) / 1000);
  } finally {
    await producer.disconnect();
  }
}

/** Reads `count` records of `topic` from the beginning in a fresh group; returns records per second. */
export async function nativeConsume(kafka: Kafka, options: { topic: string; count: number; timeoutMs: number }): Promise<number> {
  const consumer = kafka.consumer({ groupId: `bench-native-${randomUUID()}`, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
    let seen = 0;
    let done: () => void = () => undefined;
    const allRead = new Promise<void>((resolve) => (done = resolve));
    const started = performance.now();
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        seen += batch.messages.length;
        if (seen >= options.count) done();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`kafkajs read ${seen} of ${options.count} records in ${options.timeoutMs} ms`)), options.timeoutMs);
    });
    await Promise.race([allRead, timeout]).finally(() => clearTimeout(timer));
    return options.count / ((performance.now() - started) / 1000);
  } finally {
    await consumer.disconnect();
  }
}
