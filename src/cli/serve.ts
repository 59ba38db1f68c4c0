/**
 * Serving: load and check the settings (a bad one: one line, exit 2), bind the listeners (a busy port: one line,
 * exit 1, before anything else starts), start a local Kafka broker when no cluster is configured, start the proxy,
 * serve until SIGTERM/SIGINT, then shut down in order: stop accepting, finish in-flight requests, disconnect from
 * Kafka, stop the broker we started. SIGHUP re-reads the users file.
 */
// First: it must be in place before kafkajs loads (the local broker's module loads it before the proxy's does).
import '../kafka/kafkajs-linear-grouping.js';
import type { Logger } from 'pino';
import { CredentialsError } from '../auth/credentials.js';
import { KeyStoreError } from '../config/key-stores.js';
import { ConfigError, loadSettings } from '../config/config.js';
import type { LoadedSettings, ProxyConfig } from '../config/config.js';
import type { LocalBroker } from '../kafka/local-broker.js';
import type { RunningProxy } from '../proxy.js';
import { ListenerError, openConfiguredListeners } from '../server/http-listeners.js';
import type { OpenListeners } from '../server/http-listeners.js';
import { announce, createLogger, outputFormat } from '../server/logger.js';

/** Start failures whose message says all: logged as one line, without a stack. */
type ErrorClass = abstract new (...args: never[]) => Error;
const EXPECTED_FAILURES: readonly ErrorClass[] = [ListenerError, KeyStoreError, CredentialsError, ConfigError];

function settingsOrExit(argv: readonly string[]): LoadedSettings {
  try {
    return loadSettings(argv, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`configuration error: ${error.message}\n`);
    process.exit(2);
  }
}

async function withKafka(config: ProxyConfig, logger: Logger): Promise<{ config: ProxyConfig; broker?: LocalBroker }> {
  if (config.bootstrapServers.length > 0) return { config };
  logger.warn('bootstrap.servers is not set: starting a local single-node Kafka broker for this process');
  const { startLocalBroker } = await import('../kafka/local-broker.js');
  const broker = await startLocalBroker({ log: (line) => logger.info({ component: 'local-kafka' }, line) });
  logger.info({ bootstrapServers: broker.bootstrapServers, clusterId: broker.clusterId }, 'local Kafka broker ready');
  return { config: { ...config, bootstrapServers: [broker.bootstrapServers] }, broker };
}

function exitAfterFailedStart(logger: Logger, error: unknown, alsoExpected: readonly ErrorClass[] = []): never {
  if ([...EXPECTED_FAILURES, ...alsoExpected].some((kind) => error instanceof kind)) logger.error(`could not start: ${(error as Error).message}`);
  else logger.error({ err: error }, 'could not start');
  process.exit(1);
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

export async function serve(argv: readonly string[]): Promise<void> {
  const { config, notices } = settingsOrExit(argv);
  const logger = createLogger(config.logLevel, undefined, outputFormat(config.logFormat));
  for (const notice of notices) logger[notice.level](notice.message);
  let listeners: OpenListeners;
  try {
    listeners = await openConfiguredListeners(config);
  } catch (error) {
    exitAfterFailedStart(logger, error);
  }
  // Loaded once the ports are ours: the server's modules take a few hundred ms, a busy port is reported before.
  const { KafkaConnectionError, startProxy } = await import('../proxy.js');
  let proxy: RunningProxy | undefined;
  process.on('SIGHUP', () => (proxy ? proxy.reloadCredentials() : logger.info('SIGHUP while starting: ignored')));
  let started: Awaited<ReturnType<typeof withKafka>>;
  try {
    started = await withKafka(config, logger);
  } catch (error) {
    await listeners.close();
    exitAfterFailedStart(logger, error);
  }
  onShutdownSignal(logger, async (signal) => {
    logger.info({ signal }, 'shutting down');
    await proxy?.stop();
    await started.broker?.stop();
    logger.info('stopped');
  });
  try {
    proxy = await startProxy(started.config, logger, { listeners });
  } catch (error) {
    await started.broker?.stop();
    exitAfterFailedStart(logger, error, [KafkaConnectionError]);
  }
  announce(logger, { listeners: proxy.urls, bootstrapServers: started.config.bootstrapServers }, 'kafka-rest listening');
}
