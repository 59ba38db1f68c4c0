/**
 * `npm run kafka [-- --port N]`: runs the project's local Kafka broker on its own until Ctrl-C (SIGINT) or SIGTERM.
 * With `--port N` its PLAINTEXT listener is 127.0.0.1:N on every run (otherwise a free port each time).
 */
import { PortInUseError, startLocalBroker } from '../src/kafka/local-broker.js';

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

/** `--port N` or `--port=N`; undefined without it. Anything else is a usage error (exit 2). */
function portArgument(argv: readonly string[]): number | undefined {
  const usage = (why: string): never => {
    process.stderr.write(`${why}\nusage: npm run kafka [-- --port N]\n`);
    process.exit(2);
  };
  if (argv.length === 0) return undefined;
  const [flag, next] = argv;
  const text = flag?.startsWith('--port=') ? flag.slice('--port='.length) : flag === '--port' && argv.length === 2 ? next : usage(`unknown arguments: ${argv.join(' ')}`);
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) usage(`--port needs a port number from 1 to 65535, got '${text ?? ''}'`);
  return port;
}

const port = portArgument(process.argv.slice(2));
const broker = await startLocalBroker({ log, ...(port === undefined ? {} : { port }) }).catch((error: unknown) => {
  if (!(error instanceof PortInUseError)) throw error;
  log(error.message);
  process.exit(1);
});
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
