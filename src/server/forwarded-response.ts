/**
 * Writes the answer of the node that served a forwarded request as it arrives: its status, its headers (without
 * those of its own connection) and its body, streamed. `X-Kafka-Rest-Forwarded-To` names that node.
 */
import type { Context as KoaContext } from 'koa';
import type { ForwardedResponse } from './peer-client.js';

export const NODE_HEADER = 'X-Kafka-Rest-Node';
export const FORWARDED_TO_HEADER = 'X-Kafka-Rest-Forwarded-To';

/** Headers of one hop, and those this node sets itself. */
const NOT_PASSED_ON = new Set(['connection', 'keep-alive', 'transfer-encoding', 'trailer', 'upgrade', 'proxy-connection', 'date', 'x-request-id', NODE_HEADER.toLowerCase()]);

export function writeForwarded(ctx: KoaContext, response: ForwardedResponse): void {
  ctx.status = response.status;
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined && !NOT_PASSED_ON.has(name)) ctx.set(name, value);
  }
  const servedBy = response.headers[NODE_HEADER.toLowerCase()];
  if (typeof servedBy === 'string') ctx.set(FORWARDED_TO_HEADER, servedBy);
  if (response.status === 204 || response.status === 304 || ctx.method === 'HEAD') {
    response.body.resume();
    return;
  }
  if (response.headers['content-length'] === '0') {
    // As writeResult answers an empty 200: no body, no Content-Type (Koa would add one for a stream).
    response.body.resume();
    ctx.body = '';
    if (response.headers['content-type'] === undefined) ctx.remove('Content-Type');
    return;
  }
  // Koa keeps the Content-Length set above when the first body it gets is a stream.
  ctx.body = response.body;
}
