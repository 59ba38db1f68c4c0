/** Kafka's own command-line tools, run from the jars the local broker uses: an independent witness. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureKafkaJars, javaBinary } from '../../../src/kafka/local-broker.js';

const run = promisify(execFile);

/** `kafka-configs.sh --describe --entity-type brokers --entity-default`: the cluster-wide broker configs. */
export async function describeClusterDefaults(bootstrapServers: string): Promise<string> {
  const libs = await ensureKafkaJars();
  const { stdout } = await run(
    javaBinary(),
    ['-Xmx256m', '-cp', join(libs, '*'), 'kafka.admin.ConfigCommand', '--bootstrap-server', bootstrapServers, '--describe', '--entity-type', 'brokers', '--entity-default'],
    { timeout: 60_000 },
  );
  return stdout;
}

/** `kafka-configs.sh --alter --add-config 'SCRAM-SHA-256=[password=…]' --entity-type users`: a SCRAM credential. */
export async function addScramUser(bootstrapServers: string, mechanism: string, user: string, password: string): Promise<void> {
  const libs = await ensureKafkaJars();
  await run(
    javaBinary(),
    [
      ...['-Xmx256m', '-cp', join(libs, '*'), 'kafka.admin.ConfigCommand', '--bootstrap-server', bootstrapServers],
      ...['--alter', '--add-config', `${mechanism}=[password=${password}]`, '--entity-type', 'users', '--entity-name', user],
    ],
    { timeout: 60_000 },
  );
}
