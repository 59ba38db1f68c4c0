/** `npm run kafka`: runs the project's local Kafka broker on its own until Ctrl-C (SIGINT) or SIGTERM. */
import { startLocalBroker } from '../src/kafka/local-broker.js';

const log = (line: string): void => {
  process.stderr.write(`[local-kafka] ${line}\n`);
};

// Until the broker is up, a signal just exits: the 'exit' hook of local-broker kills whatever already runs.
const exitDuringStart = (): void => process.exit(130);
process.once('SIGINT', exitDuringStart);
process.once('SIGTERM', exitDuringStart);

const broker = await startLocalBroker({ log });
process.off('SIGINT', exitDuringStart);
process.off('SIGTERM', exitDuringStart);

process.stdout.write(
  [
    `Kafka is running (pid ${broker.pid}).`,
    `  bootstrap servers: ${broker.bootstrapServers}`,
    `  cluster id:        ${broker.clusterId}`,
    `Run the proxy against it with:  KAFKA_REST_BOOTSTRAP_SERVERS=${broker.bootstrapServers} npm start`,
    'Ctrl-C stops it.',
    '',
  ].join('\n'),
);

// The broker process does not keep Node's event loop alive by itself.
const keepAlive = setInterval(() => undefined, 1 << 30);

const signal = await new Promise<NodeJS.Signals>((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
});
// A second signal while stopping means "now": exiting runs the hook that SIGKILLs the broker.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(130));
log(`${signal}: stopping Kafka`);
const exitCode = await broker.stop().then(
  () => {
    log('stopped');
    return 0;
  },
  (error: unknown) => {
    log(`stop failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  },
);
clearInterval(keepAlive);
process.exit(exitCode);
