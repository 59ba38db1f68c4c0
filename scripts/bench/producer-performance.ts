/** Kafka's own `org.apache.kafka.tools.ProducerPerformance` (kafka-tools jar): the JVM client's produce ceiling. */
import { DEFAULT_KAFKA_VERSION, javaBinary } from '../../src/kafka/local-broker.js';
import { ensureClasspath } from './maven.js';
import { runChecked } from '../../src/process/run-command.js';
import { PROJECT_ROOT } from '../../src/project-paths.js';
import type { Log } from './processes.js';

export function ensureKafkaToolsClasspath(log: Log): Promise<string> {
  return ensureClasspath(
    {
      name: 'kafka-tools',
      version: DEFAULT_KAFKA_VERSION,
      artifacts: [
        { groupId: 'org.apache.kafka', artifactId: 'kafka-tools', version: DEFAULT_KAFKA_VERSION },
        // kafka-tools logs through slf4j 1.7; without a binding it prints a warning per run.
        { groupId: 'org.slf4j', artifactId: 'slf4j-reload4j', version: '1.7.36' },
      ],
      requiredJar: `kafka-tools-${DEFAULT_KAFKA_VERSION}.jar`,
    },
    log,
  );
}

export interface ProducerPerformanceRun {
  readonly recordsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

// The summary line: "200000 records sent, 38669.76 records/sec (3.69 MB/sec), 1292.38 ms avg latency, 1903.00 ms
// max latency, 1600 ms 50th, 1866 ms 95th, 1895 ms 99th, 1901 ms 99.9th."
const SUMMARY = /records sent, ([\d.]+) records\/sec .* (\d+) ms 50th, \d+ ms 95th, (\d+) ms 99th/;

/** Sends `records` records of `recordBytes` as fast as it can, idempotent with acks=all and linger 0 like ours. */
export async function runProducerPerformance(libsDir: string, options: { bootstrapServers: string; topic: string; records: number; recordBytes: number }): Promise<ProducerPerformanceRun> {
  const args = [
    '-Xmx512m',
    '-cp',
    `${libsDir}/*`,
    'org.apache.kafka.tools.ProducerPerformance',
    '--topic',
    options.topic,
    '--num-records',
    String(options.records),
    '--record-size',
    String(options.recordBytes),
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${options.bootstrapServers}`,
    'acks=all',
    'enable.idempotence=true',
    'linger.ms=0',
  ];
  const { stdout: output } = await runChecked(javaBinary(), args, { cwd: PROJECT_ROOT });
  const summary = output
    .split('\n')
    .map((line) => SUMMARY.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .at(-1);
  if (!summary) throw new Error(`no summary line in ProducerPerformance's output:\n${output.slice(-2000)}`);
  return { recordsPerSecond: Number(summary[1]), p50Ms: Number(summary[2]), p99Ms: Number(summary[3]) };
}
