/** Values the Confluent dialects carry as text on the wire: base64 bytes and ISO-8601 timestamps. */
import { DomainError } from '../errors/domain-error.js';
import type { ErrorKind } from '../errors/domain-error.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict base64 (Node's decoder would silently skip bad characters); `what` names the field in the 400. */
export function decodeBase64(text: string, what: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  // Canonical base64 (what encoders write) comes back unchanged and always matches BASE64: no regex needed.
  if (bytes.toString('base64') === text || BASE64.test(text)) return bytes;
  throw new DomainError('bad_request', `${what} is not valid base64.`);
}

/** Epoch milliseconds of an ISO-8601 date-time. */
export function parseIsoTimestamp(text: string, kind: ErrorKind): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new DomainError(kind, `'${text}' is not an ISO-8601 date-time.`);
  return ms;
}
