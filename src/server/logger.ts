/** JSON logs (pino). Credentials never reach a log line: authorization headers are redacted. */
import { pino } from 'pino';
import type { Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'kafka-rest' },
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.password'], censor: '[redacted]' },
  });
}
