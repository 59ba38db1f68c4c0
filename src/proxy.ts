/**
 * The composition root: Kafka client → adapters → core services → handlers → Koa app → listeners.
 * `startProxy` is what `npm start` and the integration tests both run.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Document } from 'openapi-backend';
import type { ProxyConfig } from './config/config.js';
import { ClusterService } from './core/cluster-service.js';
import type { Services } from './core/services.js';
import { TopicService } from './core/topic-service.js';
import { readRedocBundle, renderReferencePage } from './docs/reference-page.js';
import { createHandlers } from './handlers/index.js';
import { KafkaClusterAdmin } from './kafka/cluster-admin.js';
import { KafkaClient } from './kafka/kafka-client.js';
import { BUNDLED_SPEC_PATH } from './project-paths.js';
import { createApp } from './server/app.js';
import { bindListeners, closeListeners, InFlightTracker } from './server/http-listeners.js';

export interface RunningProxy {
  /** One URL per listener, with the real port. */
  readonly urls: readonly string[];
  /** Stops accepting, finishes in-flight requests, disconnects from Kafka. Idempotent. */
  stop(): Promise<void>;
}

export function loadBundledSpec(): Document & Record<string, unknown> {
  return JSON.parse(readFileSync(BUNDLED_SPEC_PATH, 'utf8')) as Document & Record<string, unknown>;
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export async function startProxy(config: ProxyConfig, logger: Logger): Promise<RunningProxy> {
  if (config.bootstrapServers.length === 0) throw new Error('bootstrap.servers is empty');
  const kafka = new KafkaClient({
    brokers: config.bootstrapServers,
    clientId: config.clientId,
    requestTimeoutMs: config.kafkaRequestTimeoutMs,
    logger,
  });
  await kafka.connect();
  const admin = new KafkaClusterAdmin(kafka.admin);
  const services: Services = { cluster: new ClusterService(admin), topics: new TopicService(admin) };
  const spec = loadBundledSpec();
  const handlers = createHandlers(services, {
    spec,
    referencePage: lazy(() => renderReferencePage(spec, readRedocBundle())),
  });
  const tracker = new InFlightTracker();
  const app = await createApp({
    spec,
    handlers,
    logger,
    upstashPrefix: config.upstashPrefix,
    advertisedListeners: config.advertisedListeners,
    requestMaxBytes: config.requestMaxBytes,
    middleware: [tracker.middleware()],
  });
  const bound = await bindListeners(app, config.listeners);
  let stopping: Promise<void> | undefined;
  return {
    urls: bound.map((b) => b.url),
    stop: () =>
      (stopping ??= (async () => {
        const finished = await closeListeners(bound, tracker, config.shutdownGracefulMs);
        if (!finished) logger.warn({ active: tracker.active }, 'shutdown grace period over; closing remaining connections');
        await kafka.disconnect();
      })()),
  };
}
