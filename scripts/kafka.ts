/** `npm run kafka`: runs the project's local Kafka broker on its own until Ctrl-C (SIGINT) or SIGTERM. */
import { startLocalBroker } from '../src/kafka/local-broker.js';

const log = (line: string): void => {
  process.stderr.write(`[local-kafka] ${line}\n`);
};

let phase: 'starting' | 'running' | 'stopping' = 'starting';
let requestStop: (signal: NodeJS.Signals) => void = () => undefined;
const stopRequested = new Promise<NodeJS.Signals>((resolve) => {
  requestStop = resolve;
});

function onSignal(signal: NodeJS.Signals): void {
  // While starting, just exit: local-broker's 'exit' hook kills whatever it already launched.
  if (phase === 'starting') process.exit(130);
  if (phase === 'running') {
    phase = 'stopping';
    requestStop(signal);
  }
  // Further signals while stopping are ignored: stop() is bounded (SIGKILL after 20 s), and tsx often delivers one
  // Ctrl-C twice (the terminal signals the whole process group, and tsx relays it to its child once more).
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const broker = await startLocalBroker({ log });
phase = 'running';
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
const signal = await stopRequested;
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
