/**
 * Starts one real Apache Kafka broker and one real Schema Registry (Apicurio Registry) for the whole run — both
 * fetched through mvn on first use, started side by side — and stops them at the end. Tests read their addresses
 * with `inject('bootstrapServers')` and `inject('schemaRegistryUrl')`.
 */
import type { TestProject } from 'vitest/node';
import { startLocalBroker } from '../src/kafka/local-broker.js';
import type { LocalBroker } from '../src/kafka/local-broker.js';
import { startLocalRegistry } from '../src/schema-registry/local-registry.js';
import type { LocalRegistry } from '../src/schema-registry/local-registry.js';

declare module 'vitest' {
  export interface ProvidedContext {
    bootstrapServers: string;
    clusterId: string;
    schemaRegistryUrl: string;
  }
}

let broker: LocalBroker | undefined;
let registry: LocalRegistry | undefined;

export async function setup(project: TestProject): Promise<void> {
  const [startedBroker, startedRegistry] = await Promise.allSettled([
    startLocalBroker({ log: (line) => process.stderr.write(`[local-kafka] ${line}\n`) }),
    startLocalRegistry({ log: (line) => process.stderr.write(`[schema-registry] ${line}\n`) }),
  ]);
  if (startedBroker.status === 'fulfilled') broker = startedBroker.value;
  if (startedRegistry.status === 'fulfilled') registry = startedRegistry.value;
  if (startedBroker.status === 'rejected' || startedRegistry.status === 'rejected') {
    await teardown();
    throw startedBroker.status === 'rejected' ? startedBroker.reason : (startedRegistry as PromiseRejectedResult).reason;
  }
  project.provide('bootstrapServers', startedBroker.value.bootstrapServers);
  project.provide('clusterId', startedBroker.value.clusterId);
  project.provide('schemaRegistryUrl', startedRegistry.value.url);
}

export async function teardown(): Promise<void> {
  await Promise.all([broker?.stop(), registry?.stop()]);
}
