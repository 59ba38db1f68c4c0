/**
 * Content negotiation of the Confluent v2 dialect, one rule for every v2 operation (the spec's "Confluent v2" tag
 * says it): an Accept header is served when it is absent or one of its media ranges with a q above 0 is one the v2
 * dialect answers in — any JSON the proxy writes is also `application/json` — and answered 406 otherwise, as
 * Confluent answers an Accept it cannot serve.
 */
import { DomainError } from '../errors/domain-error.js';

const EMBEDDED_FORMATS = ['binary', 'json', 'avro', 'jsonschema', 'protobuf'] as const;

const SERVED = new Set([
  '*/*',
  'application/*',
  'application/json',
  'application/vnd.kafka+json',
  'application/vnd.kafka.v2+json',
  ...EMBEDDED_FORMATS.map((format) => `application/vnd.kafka.${format}.v2+json`),
]);

interface MediaRange {
  readonly type: string;
  readonly q: number;
}

function parseRange(part: string): MediaRange {
  const [type = '', ...parameters] = part.split(';').map((p) => p.trim());
  const q = parameters.map((p) => /^q\s*=\s*([0-9.]+)$/i.exec(p)).find((m) => m !== null);
  return { type: type.toLowerCase(), q: q ? Number(q[1]) : 1 };
}

/** Whether a v2 answer (a JSON body in a v2 media type) satisfies this Accept header. */
export function acceptsV2(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept
    .split(',')
    .map(parseRange)
    .some((range) => range.q > 0 && SERVED.has(range.type));
}

/** 406 unless the request's Accept header can be served (see the module comment). */
export function requireAcceptableV2(accept: string | undefined): void {
  if (acceptsV2(accept)) return;
  throw new DomainError(
    'not_acceptable',
    `HTTP 406 Not Acceptable: the answer is JSON (application/vnd.kafka.v2+json); Accept '${accept}' does not allow it.`,
  );
}
