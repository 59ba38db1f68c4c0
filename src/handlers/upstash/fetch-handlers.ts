/** Upstash `/fetch` (no consumer group) and `/offsets/{timestamp}`. */
import type { HandlerInput, InputOf, OperationHandlers } from '../../../generated/operations.js';
import type { PartitionReadRequest } from '../../core/model.js';
import type { OffsetPoint } from '../../core/offset-service.js';
import { requireAccess } from '../../auth/principal.js';
import type { Services } from '../../core/services.js';
import { DomainError } from '../../errors/domain-error.js';
import type { RequestContext } from '../../server/request-context.js';
import { asList, toOffsetResult, toUpstashMessage } from './messages.js';

type FetchHandlers = Pick<
  OperationHandlers<RequestContext>,
  'upstashFetch' | 'upstashFetchWithGet' | 'upstashOffsets' | 'upstashOffsetsWithGet'
>;

type FetchRequest = HandlerInput<'upstashFetch'>['body'];

/** The single triple first (when given whole), then the list. */
export function fetchRequests(body: FetchRequest): PartitionReadRequest[] {
  const single = [body.topic, body.partition, body.offset];
  const given = single.filter((v) => v !== undefined).length;
  if (given > 0 && given < 3) throw new DomainError('bad_request', 'A single fetch needs "topic", "partition" and "offset" together.');
  const requests = given === 3 ? [{ topic: body.topic!, partition: body.partition!, offset: String(body.offset) }] : [];
  for (const o of body.topicPartitionOffsets ?? []) requests.push({ topic: o.topic, partition: o.partition, offset: String(o.offset) });
  if (requests.length === 0) throw new DomainError('bad_request', 'Give "topic", "partition" and "offset", or "topicPartitionOffsets".');
  return requests;
}

export function offsetPoint(text: string): OffsetPoint {
  if (text === 'earliest' || text === 'latest') return text;
  return { timestampMs: Number(text) };
}

export function createUpstashFetchHandlers(services: Services, defaultTimeoutMs: number): FetchHandlers {
  const fetch = async ({ body }: InputOf<'upstashFetch' | 'upstashFetchWithGet'>, ctx: RequestContext) => {
    const requests = fetchRequests(body);
    requireAccess(ctx.principal, 'consume', new Set(requests.map((r) => r.topic)));
    const records = await services.fetch.read(requests, body.timeout ?? defaultTimeoutMs);
    return { status: 200 as const, body: records.map(toUpstashMessage) };
  };
  const offsets = async ({ params, body }: InputOf<'upstashOffsets' | 'upstashOffsetsWithGet'>, ctx: RequestContext) => {
    const partitions = asList(body);
    requireAccess(ctx.principal, 'consume', new Set(partitions.map((p) => p.topic)));
    const result = await services.offsets.at(offsetPoint(params.timestamp), partitions);
    return { status: 200 as const, body: result.map(toOffsetResult) };
  };
  return { upstashFetch: fetch, upstashFetchWithGet: fetch, upstashOffsets: offsets, upstashOffsetsWithGet: offsets };
}
