/**
 * kafkajs's log lines, through the proxy's logger. kafkajs logs at ERROR what it is about to retry — a retriable
 * broker answer ("The coordinator is loading" at start, "does not host this topic-partition" while a produce
 * auto-creates a topic), each failed connection attempt and each retry. Those heal by themselves, and whatever does
 * not reaches its caller as an error (an error response, or the one-line start failure), so they are debug lines
 * here; kafkajs's other warnings and errors are warnings.
 */
import { logLevel as KafkaLogLevel } from 'kafkajs';
import type { LogEntry } from 'kafkajs';
import type { Logger } from 'pino';
import { redactSecrets } from '../server/logger.js';
import { kafkajsInternal } from './kafkajs-internals.js';

interface ProtocolErrorCode {
  readonly message: string;
  readonly retriable: boolean;
}

/** The messages of the broker error codes kafkajs retries (its own table, protocol/error.js). */
const RETRIABLE_ANSWERS: ReadonlySet<string> = new Set(
  kafkajsInternal<{ errorCodes: readonly ProtocolErrorCode[] }>('src/protocol/error').errorCodes.filter((code) => code.retriable).map((code) => code.message),
);

const CONNECTION_CHATTER = /^(Connection error|Connection timeout|Failed to connect to seed broker|Connection closed)/;

export type KafkajsLevel = 'warn' | 'debug' | 'trace';

/** The level a kafkajs entry is logged at. */
export function levelOf(level: KafkaLogLevel, log: LogEntry['log']): KafkajsLevel {
  if (level === KafkaLogLevel.INFO) return 'debug';
  if (level > KafkaLogLevel.INFO) return 'trace';
  const answer = (log as { error?: unknown }).error;
  if (typeof answer === 'string' && RETRIABLE_ANSWERS.has(answer)) return 'debug';
  if ('retryCount' in log || CONNECTION_CHATTER.test(log.message)) return 'debug';
  return 'warn';
}

export function pinoLogCreator(logger: Logger): () => (entry: LogEntry) => void {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log }: LogEntry) => {
      // kafkajs's own timestamp and logger name repeat the line's time and component.
      const { message, timestamp: _timestamp, logger: _name, ...rest } = log as LogEntry['log'] & { logger?: string };
      kafkaLogger[levelOf(level, log)](redactSecrets(rest), message);
    };
}
