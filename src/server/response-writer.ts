/** Writes a handler's result or an error into the Koa response, in the content type the spec declares. */
import { Readable } from 'node:stream';
import type { Context as KoaContext } from 'koa';
import type { AnyHandlerResult, Dialect, OperationMeta, SerializedJson } from '../../generated/operations.js';
import { errorResponse } from '../errors/dialect-errors.js';
import type { ErrorKind } from '../errors/domain-error.js';

function contentTypeFor(meta: OperationMeta | undefined, status: number): string {
  return meta?.responseContentTypes[String(status)] ?? 'application/json';
}

function isJson(contentType: string): boolean {
  return contentType === 'application/json' || contentType.endsWith('+json');
}

export function writeResult(ctx: KoaContext, meta: OperationMeta, result: AnyHandlerResult): void {
  ctx.status = result.status;
  let contentType = contentTypeFor(meta, result.status);
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    // A handler may pick one of the media types the spec declares for the status (e.g. the consumer's format).
    if (name.toLowerCase() === 'content-type') contentType = value;
    else ctx.set(name, value);
  }
  if (result.status === 204) return;
  if (result.stream) {
    ctx.type = contentType;
    ctx.body = Readable.from(result.stream);
    return;
  }
  if (result.body === undefined) {
    // An empty 200: without a body Koa would answer its status text ("OK") as text/plain.
    ctx.body = '';
    ctx.remove('Content-Type');
    return;
  }
  ctx.type = contentType;
  if (isSerializedJson(result.body)) ctx.body = result.body.serializedJson;
  else ctx.body = isJson(contentType) || typeof result.body !== 'string' ? JSON.stringify(result.body) : result.body;
}

function isSerializedJson(body: unknown): body is SerializedJson<unknown> {
  if (typeof body !== 'object' || body === null) return false;
  const text = (body as { serializedJson?: unknown }).serializedJson;
  return typeof text === 'string' || Buffer.isBuffer(text);
}

export function writeError(
  ctx: KoaContext,
  dialect: Dialect,
  meta: OperationMeta | undefined,
  kind: ErrorKind,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  const { status, body } = errorResponse(dialect, kind, message);
  ctx.status = status;
  for (const [name, value] of Object.entries(headers)) ctx.set(name, value);
  const declared = contentTypeFor(meta, status);
  ctx.type = isJson(declared) ? declared : 'application/json';
  ctx.body = JSON.stringify(body);
}
