/** Upstash consume with a group: consume, commit, committed, delete-consumer, and the list of instances. */
import type { HandlerInput, InputOf, OperationHandlers } from '../../../generated/operations.js';
import type { ConsumerInstanceConfig } from '../../core/consumer-instance.js';
import type { OffsetReset } from '../../core/model.js';
import { may, requireAccess } from '../../auth/principal.js';
import type { Services } from '../../core/services.js';
import { DomainError } from '../../errors/domain-error.js';
import type { RequestContext } from '../../server/request-context.js';
import { recordsJson } from '../records-json.js';
import { asList, SUCCESS, toOffsetResult, upstashMessageJson } from './messages.js';
import type { UpstashMessage } from './messages.js';

type ConsumeHandlers = Pick<
  OperationHandlers<RequestContext>,
  | 'upstashConsumeTopic'
  | 'upstashConsume'
  | 'upstashConsumeWithGet'
  | 'upstashCommit'
  | 'upstashCommitWithGet'
  | 'upstashCommitted'
  | 'upstashCommittedWithGet'
  | 'upstashDeleteConsumer'
  | 'upstashDeleteConsumerWithDelete'
  | 'upstashListConsumers'
>;

export interface UpstashConsumeDefaults {
  readonly timeoutMs: number;
  /** Caps the timeout a request asks for (consumer.request.max.wait.ms). */
  readonly maxWaitMs: number;
  readonly maxRecordsPerPoll: number;
  /** The most key and value bytes one answer holds. */
  readonly maxResponseBytes: number;
}

type ConsumerHeaders = HandlerInput<'upstashConsumeTopic'>['headers'];

/** The `Kafka-*` headers; they only matter on the call that creates the instance. */
function instanceConfig(headers: ConsumerHeaders, requestTimeoutMs: number): ConsumerInstanceConfig {
  return {
    format: 'binary',
    requestTimeoutMs,
    autoCommit: headers['Kafka-Enable-Auto-Commit'] !== 'false',
    autoCommitIntervalMs: headers['Kafka-Auto-Commit-Interval'] ?? 5000,
    autoOffsetReset: (headers['Kafka-Auto-Offset-Reset'] ?? 'latest') as OffsetReset,
    sessionTimeoutMs: headers['Kafka-Session-Timeout-Ms'] ?? 120_000,
  };
}

function topicsOf(body: { topic?: string; topics?: string[] }): string[] {
  const topics = [...new Set([...(body.topic ? [body.topic] : []), ...(body.topics ?? [])])];
  if (topics.length === 0) throw new DomainError('bad_request', 'Give a topic ("topic") or topics ("topics").');
  return topics;
}

export function createUpstashConsumeHandlers(services: Services, defaults: UpstashConsumeDefaults): ConsumeHandlers {
  const consume = async (ctx: RequestContext, group: string, instance: string, topics: string[], timeoutMs: number, headers: ConsumerHeaders) => {
    requireAccess(ctx.principal, 'consume', topics);
    const consumer = await services.consumers.acquire(group, instance, topics, instanceConfig(headers, defaults.timeoutMs), ctx.principal);
    const records = await consumer.poll(Math.min(timeoutMs, defaults.maxWaitMs), defaults.maxRecordsPerPoll, defaults.maxResponseBytes, upstashMessageJson);
    return { status: 200 as const, body: recordsJson<UpstashMessage[]>(records, upstashMessageJson).body };
  };
  const consumeWithBody = ({ params, headers, body }: InputOf<'upstashConsume' | 'upstashConsumeWithGet'>, ctx: RequestContext) =>
    consume(ctx, params.group, params.instance, topicsOf(body), body.timeout ?? defaults.timeoutMs, headers);
  const commit = async ({ params, body }: InputOf<'upstashCommit' | 'upstashCommitWithGet'>, ctx: RequestContext) => {
    const offsets = asList(body).map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset) }));
    const consumer = services.consumers.get(params.group, params.instance, ctx.principal);
    requireAccess(ctx.principal, 'consume', offsets.length ? offsets.map((o) => o.topic) : consumer.topics);
    await consumer.commit(offsets);
    return { status: 200 as const, body: SUCCESS };
  };
  const committed = async ({ params, body }: InputOf<'upstashCommitted' | 'upstashCommittedWithGet'>, ctx: RequestContext) => {
    const partitions = asList(body);
    requireAccess(ctx.principal, 'consume', new Set(partitions.map((p) => p.topic)));
    const offsets = await services.offsets.committed(params.group, partitions);
    return { status: 200 as const, body: offsets.map(toOffsetResult) };
  };
  const remove = async ({ params }: InputOf<'upstashDeleteConsumer' | 'upstashDeleteConsumerWithDelete'>, ctx: RequestContext) => {
    // Only its owner (who could consume its topics when subscribing) or an admin may close an instance.
    await services.consumers.delete(params.group, params.instance, ctx.principal);
    return { status: 200 as const, body: SUCCESS };
  };
  return {
    upstashConsumeTopic: ({ params, query, headers }, ctx) =>
      consume(ctx, params.group, params.instance, [params.topic], query.timeout ?? defaults.timeoutMs, headers),
    upstashConsume: consumeWithBody,
    upstashConsumeWithGet: consumeWithBody,
    upstashCommit: commit,
    upstashCommitWithGet: commit,
    upstashCommitted: committed,
    upstashCommittedWithGet: committed,
    upstashDeleteConsumer: remove,
    upstashDeleteConsumerWithDelete: remove,
    upstashListConsumers: async (_input, ctx) => {
      const byGroup = new Map<string, { name: string; topics: { topic: string; partitions: number[] }[] }[]>();
      const visible = (await services.consumers.listEverywhere()).filter((i) => i.topics.every((t) => may(ctx.principal, 'consume', t)));
      for (const i of visible) {
        const instances = byGroup.get(i.group) ?? [];
        instances.push({ name: i.name, topics: i.assignment.map((a) => ({ topic: a.topic, partitions: [...a.partitions] })) });
        byGroup.set(i.group, instances);
      }
      return { status: 200, body: [...byGroup].map(([name, instances]) => ({ name, instances })) };
    },
  };
}
