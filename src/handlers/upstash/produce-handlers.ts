/** Upstash produce: a message in the path, messages to a topic, messages to any topics, and webhooks. */
import type { IncomingHttpHeaders } from 'node:http';
import type { InputOf, OperationHandlers } from '../../../generated/operations.js';
import { requireAccess } from '../../auth/principal.js';
import type { ProduceRecord } from '../../core/model.js';
import type { Services } from '../../core/services.js';
import type { RequestContext } from '../../server/request-context.js';
import { asList, toProduceRecord, toProduceResult, topicOf } from './messages.js';

type ProduceHandlers = Pick<
  OperationHandlers<RequestContext>,
  | 'upstashProduceFromPath'
  | 'upstashProduceToTopic'
  | 'upstashProduceToTopicWithGet'
  | 'upstashProduce'
  | 'upstashProduceWithGet'
  | 'upstashWebhook'
  | 'upstashWebhookWithGet'
>;

/** Request headers that describe the HTTP exchange itself and so are not copied into webhook records. */
const STANDARD_HEADERS = new Set([
  'host', 'content-length', 'content-type', 'authorization', 'connection', 'keep-alive', 'accept', 'accept-encoding',
  'accept-language', 'accept-charset', 'user-agent', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect',
  'cookie', 'cache-control', 'pragma', 'origin', 'referer', 'proxy-authorization', 'proxy-connection', 'via',
  'forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'x-request-id', 'date',
  'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since', 'range', 'dnt', 'priority',
]);

export function webhookHeaders(headers: IncomingHttpHeaders): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (STANDARD_HEADERS.has(key) || key.startsWith('sec-') || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.push({ key, value: v });
  }
  return out;
}

export function createUpstashProduceHandlers(services: Services): ProduceHandlers {
  const produce = (ctx: RequestContext, records: ProduceRecord[]) => {
    requireAccess(ctx.principal, 'produce', new Set(records.map((r) => r.topic)));
    return services.produce.produce(records);
  };
  const messagesOf = <T>(body: T | T[] | undefined): T[] => {
    const messages = asList(body);
    services.produce.requireRecordCount(messages.length);
    return messages;
  };
  const toTopic = async ({ params, body }: InputOf<'upstashProduceToTopic' | 'upstashProduceToTopicWithGet'>, ctx: RequestContext) => {
    const acks = await produce(ctx, messagesOf(body).map((m) => toProduceRecord(m, params.topic)));
    return { status: 200 as const, body: acks.map(toProduceResult) };
  };
  const anyTopic = async ({ body }: InputOf<'upstashProduce' | 'upstashProduceWithGet'>, ctx: RequestContext) => {
    const acks = await produce(ctx, messagesOf(body).map((m, i) => toProduceRecord(m, topicOf(m, i))));
    return { status: 200 as const, body: acks.map(toProduceResult) };
  };
  const webhook = async ({ query, body }: InputOf<'upstashWebhook' | 'upstashWebhookWithGet'>, ctx: RequestContext) => {
    // x-raw-body: the dispatcher hands this operation the body as bytes.
    const value = (body as unknown as Buffer | undefined) ?? Buffer.alloc(0);
    const [ack] = await produce(ctx, [{ topic: query.topic, key: null, value, headers: webhookHeaders(ctx.requestHeaders) }]);
    return { status: 200 as const, body: toProduceResult(ack!) };
  };
  return {
    upstashProduceFromPath: async ({ params, query }, ctx) => {
      const [ack] = await produce(ctx, [{ topic: params.topic, key: query.key ?? null, value: params.message, headers: [] }]);
      return { status: 200, body: toProduceResult(ack!) };
    },
    upstashProduceToTopic: toTopic,
    upstashProduceToTopicWithGet: toTopic,
    upstashProduce: anyTopic,
    upstashProduceWithGet: anyTopic,
    upstashWebhook: webhook,
    upstashWebhookWithGet: webhook,
  };
}
