/**
 * Reads and parses a request body for a matched operation: the Content-Type must be one the spec declares
 * (415 otherwise; the Upstash dialect parses JSON whatever the Content-Type, as its documented curl examples
 * send none), the size is bounded (413), the time to send it too (408), and malformed JSON is a 400.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dialect, OperationMeta } from '../../generated/operations.js';
import { DomainError } from '../errors/domain-error.js';

export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

/** 415 unless the Content-Type is one the operation declares. */
export function requireDeclaredMediaType(meta: OperationMeta, contentType: string | undefined): void {
  checkContentType(meta, 'v3', mediaTypeOf(contentType));
}

function checkContentType(meta: OperationMeta, dialect: Dialect, mediaType: string): void {
  if (dialect === 'upstash') return;
  if (meta.requestContentTypes.includes(mediaType)) return;
  const expected = meta.requestContentTypes.join(', ');
  throw new DomainError(
    'unsupported_media_type',
    mediaType ? `HTTP 415 Unsupported Media Type: '${mediaType}' is not accepted here; use ${expected}.` : `HTTP 415 Unsupported Media Type: a Content-Type header is required (${expected}).`,
  );
}

export interface BodyTimeouts {
  /** The longest silence between two chunks. */
  readonly idleMs: number;
  /** The longest the whole body may take; none for streamed bodies. */
  readonly totalMs?: number;
  /** Called once when a timeout fires, before the 408 is thrown (the connection must not be reused). */
  readonly onTimeout: () => void;
}

type Arrival = 'data' | 'end' | 'closed' | 'timeout';

/** What happens first on the stream within `ms`: data to read, its end, its abortion, or nothing. */
function nextArrival(stream: Readable, ms: number): Promise<Arrival> {
  if (stream.destroyed) return Promise.resolve('closed');
  return new Promise((resolve) => {
    const settle = (arrival: Arrival) => () => {
      clearTimeout(timer);
      stream.off('readable', onData).off('end', onEnd).off('close', onClosed).off('error', onClosed);
      resolve(arrival);
    };
    const onData = settle('data');
    const onEnd = settle('end');
    const onClosed = settle('closed');
    const timer = setTimeout(settle('timeout'), Math.max(0, ms));
    stream.on('readable', onData).on('end', onEnd).on('close', onClosed).on('error', onClosed);
  });
}

/**
 * The body's chunks as they arrive, with a 408 when the client goes quiet for `idleMs` or takes longer than
 * `totalMs` in all. Unlike Node's own `requestTimeout` (a bare 408 without a body, and a cap on the total that
 * would cut long v3 produce streams), the error reaches the dialect's envelope.
 */
export async function* timedChunks(stream: Readable, timeouts: BodyTimeouts): AsyncGenerator<Buffer> {
  const deadline = timeouts.totalMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeouts.totalMs;
  for (;;) {
    const chunk = stream.read() as Buffer | null;
    if (chunk !== null) {
      yield chunk;
      continue;
    }
    if (stream.readableEnded) return;
    const remaining = deadline - Date.now();
    const arrival = await nextArrival(stream, Math.min(timeouts.idleMs, remaining));
    if (arrival === 'end') return;
    if (arrival === 'closed') throw new DomainError('bad_request', 'The client closed the connection before the request body was complete.');
    if (arrival === 'timeout') {
      timeouts.onTimeout();
      const total = remaining <= timeouts.idleMs;
      throw new DomainError(
        'request_timeout',
        total
          ? `HTTP 408 Request Timeout: the request body took longer than ${timeouts.totalMs} ms to arrive.`
          : `HTTP 408 Request Timeout: no part of the request body arrived for ${timeouts.idleMs} ms.`,
      );
    }
  }
}

async function readBytes(req: IncomingMessage, limit: number, timeouts: BodyTimeouts): Promise<Buffer> {
  const tooLarge = (): DomainError => new DomainError('payload_too_large', `Request body is larger than ${limit} bytes.`);
  if (Number(req.headers['content-length']) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of timedChunks(req, timeouts)) {
    length += chunk.length;
    if (length > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, length);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DomainError('bad_request', `Malformed JSON in request body: ${(error as Error).message}`);
  }
}

/** The parsed body, or undefined when the request has none. */
export async function readRequestBody(
  req: IncomingMessage,
  meta: OperationMeta,
  dialect: Dialect,
  limit: number,
  timeouts: BodyTimeouts,
): Promise<unknown> {
  // An operation without a declared body ignores one (Node discards what is not read).
  if (meta.requestContentTypes.length === 0) return undefined;
  if (!hasBody(req)) {
    if (meta.rawBody) return Buffer.alloc(0);
    if (meta.requestBodyRequired && dialect !== 'upstash') {
      checkContentType(meta, dialect, mediaTypeOf(req.headers['content-type']));
      throw new DomainError('invalid_payload', 'Request body is empty.');
    }
    return undefined;
  }
  if (meta.rawBody) return readBytes(req, limit, timeouts);
  checkContentType(meta, dialect, mediaTypeOf(req.headers['content-type']));
  const text = (await readBytes(req, limit, timeouts)).toString('utf8');
  if (text.trim() === '') {
    if (meta.requestBodyRequired && dialect !== 'upstash') throw new DomainError('invalid_payload', 'Request body is empty.');
    return undefined;
  }
  return parseJson(text);
}
