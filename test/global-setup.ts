/**
 * Starts one real Apache Kafka broker for the whole run (fetched through mvn on first use) and stops it at the
 * end. Tests read its address with `inject('bootstrapServers')`.
 */
import type { TestProject } from 'vitest/node';
import { startLocalBroker } from '../src/kafka/local-broker.js';
import type { LocalBroker } from '../src/kafka/local-broker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    bootstrapServers: string;
    clusterId: string;
  }
}

let broker: LocalBroker | undefined;

export async function setup(project: TestProject): Promise<void> {
  broker = await startLocalBroker({ log: (line) => process.stderr.write(`[local-kafka] ${line}\n`) });
  project.provide('bootstrapServers', broker.bootstrapServers);
  project.provide('clusterId', broker.clusterId);
}

export async function teardown(): Promise<void> {
  await broker?.stop();
}
