/**
 * JSON logs (pino). Credentials never reach a log line: authorization headers are redacted, and so is every field
 * whose name says it holds a secret (passwords, passphrases, JAAS configs, key material) — see `redactSecrets`.
 */
import { pino } from 'pino';
import type { Logger } from 'pino';

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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'kafka-rest' },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.password', 'password'],
      censor: CENSOR,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
