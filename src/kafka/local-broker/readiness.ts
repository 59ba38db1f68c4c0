/** Readiness of a launched broker: it answers a metadata request (DescribeCluster) through kafkajs. */
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { logTails } from './broker-config.js';
import type { BrokerProcess } from './broker-process.js';
import { errorMessage } from './system.js';

/** Polls with kafkajs until the broker answers DescribeCluster; returns the cluster id it reports. */
export async function waitUntilReady(bootstrapServers: string, broker: BrokerProcess, timeoutMs: number): Promise<string> {
  const kafka = new Kafka({
    clientId: 'local-broker-probe',
    brokers: [bootstrapServers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no attempt yet';
  while (Date.now() < deadline) {
    if (!broker.isRunning) throw await broker.exitedError();
    const admin = kafka.admin({ retry: { retries: 0 } });
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0) return cluster.clusterId;
    } catch (error) {
      lastError = errorMessage(error);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await sleep(200);
  }
  throw new Error(`Kafka did not answer within ${timeoutMs} ms (last error: ${lastError}):\n${await logTails(broker.files)}`);
}
