/** `npm run schema-registry`: runs the project's local Schema Registry (Apicurio Registry) until Ctrl-C or SIGTERM. */
import { startLocalRegistry } from '../src/schema-registry/local-registry.js';

const log = (line: string): void => {
  process.stderr.write(`[schema-registry] ${line}\n`);
};

let stopRequested: (signal: NodeJS.Signals) => void = () => undefined;
const stopping = new Promise<NodeJS.Signals>((resolve) => (stopRequested = resolve));
let started = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // While starting, exit at once: the registry's 'exit' hook kills whatever was launched.
  process.on(signal, () => (started ? stopRequested(signal) : process.exit(130)));
}

const registry = await startLocalRegistry({ log });
started = true;
process.stdout.write(
  [
    `Schema Registry (Apicurio Registry ${registry.version}, in-memory: schemas last as long as it runs) is running (pid ${registry.pid}).`,
    `  Confluent-compatible API: ${registry.url}`,
    `Run the proxy against it with:  KAFKA_REST_SCHEMA_REGISTRY_URL=${registry.url} npm start`,
    'Ctrl-C stops it.',
    '',
  ].join('\n'),
);
// The JVM does not keep Node's event loop alive by itself.
const keepAlive = setInterval(() => undefined, 1 << 30);
log(`${await stopping}: stopping`);
await registry.stop();
clearInterval(keepAlive);
log('stopped');
process.exit(0);
