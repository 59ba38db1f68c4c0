/**
 * Reads and parses a request body for a matched operation: the Content-Type must be one the spec declares
 * (415 otherwise; the Upstash dialect parses JSON whatever the Content-Type, as its documented curl examples
 * send none), the size is bounded (413) and malformed JSON is a 400.
 */
import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';
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

async function readBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  try {
    return await getRawBody(req, { limit });
  } catch (error) {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') throw new DomainError('payload_too_large', `Request body is larger than ${limit} bytes.`);
    throw new DomainError('bad_request', `Could not read the request body: ${(error as Error).message}`);
  }
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
  if (meta.rawBody) return readBytes(req, limit);
  checkContentType(meta, dialect, mediaTypeOf(req.headers['content-type']));
  const text = (await readBytes(req, limit)).toString('utf8');
  if (text.trim() === '') {
    if (meta.requestBodyRequired && dialect !== 'upstash') throw new DomainError('invalid_payload', 'Request body is empty.');
    return undefined;
  }
  return parseJson(text);
}
