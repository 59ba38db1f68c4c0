/**
 * `npm start`: load the configuration, start a local Kafka broker when no cluster is configured, serve until
 * SIGTERM/SIGINT, then shut down in order: stop accepting, finish in-flight requests, disconnect from Kafka,
 * stop the broker we started.
 */
// First: it must be in place before kafkajs loads.
import './kafka/kafkajs-linear-grouping.js';
import type { Logger } from 'pino';
import { ConfigError, loadConfig } from './config/config.js';
import type { ProxyConfig } from './config/config.js';
import { startLocalBroker } from './kafka/local-broker.js';
import type { LocalBroker } from './kafka/local-broker.js';
import { startProxy } from './proxy.js';
import type { RunningProxy } from './proxy.js';
import { createLogger } from './server/logger.js';

async function withKafka(config: ProxyConfig, logger: Logger): Promise<{ config: ProxyConfig; broker?: LocalBroker }> {
  if (config.bootstrapServers.length > 0) return { config };
  logger.warn('bootstrap.servers is not set: starting a local single-node Kafka broker for this process');
  const broker = await startLocalBroker({ log: (line) => logger.info({ component: 'local-kafka' }, line) });
  logger.info({ bootstrapServers: broker.bootstrapServers, clusterId: broker.clusterId }, 'local Kafka broker ready');
  return { config: { ...config, bootstrapServers: [broker.bootstrapServers] }, broker };
}

function onShutdownSignal(logger: Logger, shutdown: (signal: string) => Promise<void>): void {
  let shuttingDown = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (shuttingDown) {
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(130);
      }
      shuttingDown = true;
      shutdown(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

async function main(): Promise<void> {
  let config: ProxyConfig;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const started = await withKafka(config, logger);
  let proxy: RunningProxy | undefined;
  onShutdownSignal(logger, async (signal) => {
    logger.info({ signal }, 'shutting down');
    await proxy?.stop();
    await started.broker?.stop();
    logger.info('stopped');
  });
  try {
    proxy = await startProxy(started.config, logger);
  } catch (error) {
    logger.error({ err: error }, 'could not start');
    await started.broker?.stop();
    process.exit(1);
  }
  logger.info({ listeners: proxy.urls, bootstrapServers: started.config.bootstrapServers }, 'kafka-rest listening');
}

await main();
