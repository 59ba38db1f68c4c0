/**
 * Logs (pino): JSON lines, or one readable line per entry (pino-pretty) for a person at a terminal. Credentials
 * never reach a log line: authorization headers are redacted, and so is every field whose name says it holds a
 * secret (passwords, passphrases, JAAS configs, key material) — see `redactSecrets`.
 */
import { pino } from 'pino';
import type { Logger } from 'pino';
import pretty from 'pino-pretty';

const CENSOR = '[redacted]';

/** Names of fields that hold secrets: `password`, `ssl.keystore.password`, `client.sasl.jaas.config`, `pfx`, `key`... */
const SECRET_NAME = /password|passphrase|jaas|secret|token|credential|authorization|^(key|pfx|cert)$|private.?key/i;

/** A copy with every secret-named field (at any depth) replaced by `[redacted]`; Buffers are never printed. */
export function redactSecrets<T>(value: T): T {
  if (Buffer.isBuffer(value)) return CENSOR as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactSecrets(item)) as T;
  if (value === null || typeof value !== 'object' || value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) out[name] = SECRET_NAME.test(name) ? CENSOR : redactSecrets(field);
  return out as T;
}

/** `text`: time, level, message and the entry's fields on one line; `json`: pino's JSON lines. */
export type OutputFormat = 'text' | 'json';

/** `auto` is text when stdout is a terminal. */
export function outputFormat(format: OutputFormat | 'auto', stream: { isTTY?: boolean } = process.stdout): OutputFormat {
  if (format !== 'auto') return format;
  return stream.isTTY ? 'text' : 'json';
}

function textStream(colorize: boolean): pino.DestinationStream {
  // Synchronous, like pino's own stdout destination: the last line before process.exit() is not lost.
  return pretty({ colorize, sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' });
}

export function createLogger(level: string, destination?: pino.DestinationStream, format: OutputFormat = 'json'): Logger {
  const options = {
    level,
    base: { service: 'kafka-rest' },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.password', 'password'],
      censor: CENSOR,
    },
  };
  const stream = destination ?? (format === 'text' ? textStream(Boolean(process.stdout.isTTY)) : undefined);
  return stream ? pino(options, stream) : pino(options);
}

/**
 * A line operators always need (where the proxy listens), whatever `log.level` hides: logged at info even when
 * the level is warn or error; only `silent` drops it.
 */
export function announce(logger: Logger, fields: Record<string, unknown>, message: string): void {
  const always = logger.level === 'silent' ? logger : logger.child({}, { level: 'info' });
  always.info(fields, message);
}
