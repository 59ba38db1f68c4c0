/** Confluent v2 consumer instances: create, delete, subscription, and records in the instance's format. */
import { randomUUID } from 'node:crypto';
import type { components } from '../../../generated/openapi-types.js';
import type { OperationHandlers, SerializedJson } from '../../../generated/operations.js';
import { requireAccess, requirePatternSubscription } from '../../auth/principal.js';
import type { ConsumerInstance, ConsumerInstanceConfig, EmbeddedFormat } from '../../core/consumer-instance.js';
import type { ConsumedRecord, OffsetReset, PolledRecords } from '../../core/model.js';
import type { SchemaType } from '../../core/schemas/schema-codec.js';
import type { RecordDecoder } from '../../core/schemas/schema-service.js';
import type { Services } from '../../core/services.js';
import { DomainError } from '../../errors/domain-error.js';
import type { RequestContext } from '../../server/request-context.js';
import { recordsJson } from '../records-json.js';
import { formatOf, schemaTypeOf, toSchemaRecord, v2RecordJsonOf } from './records.js';

type Schemas = components['schemas'];
type ConsumerHandlers = Pick<
  OperationHandlers<RequestContext>,
  'v2CreateConsumer' | 'v2DeleteConsumer' | 'v2Subscribe' | 'v2GetSubscription' | 'v2Unsubscribe' | 'v2ConsumeRecords'
>;

/**
 * The records a schema-format consumer can return: those before the first one it cannot convert (not readable
 * with its schema). That one and the rest go back to the instance (nothing is skipped); when it comes first the
 * poll fails with its error (406/40601).
 */
function convertedOrUnread<T>(instance: ConsumerInstance, polled: PolledRecords, records: readonly ConsumedRecord[], convert: (record: ConsumedRecord) => T): T[] {
  const converted: T[] = [];
  for (const [index, record] of records.entries()) {
    try {
      converted.push(convert(record));
    } catch (error) {
      instance.unread(polled.offsetsFrom(index));
      if (index === 0) throw error;
      break;
    }
  }
  return converted;
}

/**
 * A binary or json consumer's answer, written straight from the fetched bytes. A json-format consumer answers the
 * records before the first that is not JSON; that one and the rest go back to the instance (nothing is skipped).
 * When it comes first the poll fails with 406/40601.
 */
async function bytesRecords(instance: ConsumerInstance, format: 'binary' | 'json', limits: PollLimits): Promise<SerializedJson<Schemas['BinaryConsumerRecord'][]>> {
  const recordJson = v2RecordJsonOf(format);
  const records = await instance.poll(limits.timeoutMs, limits.maxRecords, limits.maxBytes, recordJson);
  const written = recordsJson<Schemas['BinaryConsumerRecord'][]>(records, recordJson);
  if (written.failure !== undefined) {
    instance.unread(records.offsetsFrom(written.written));
    if (written.written === 0) throw written.failure;
  }
  return written.body;
}

/** A schema-format consumer's answer: each key and value decoded with the schema its wire-format header names. */
async function schemaRecords(services: Services, instance: ConsumerInstance, schemaType: SchemaType, limits: PollLimits): Promise<Schemas['SchemaConsumerRecord'][]> {
  const polled = await instance.poll(limits.timeoutMs, limits.maxRecords, limits.maxBytes);
  const records = polled.toArray();
  let decode: RecordDecoder;
  try {
    decode = await services.schemas.decoderFor(schemaType, records);
  } catch (error) {
    instance.unread(polled.offsetsFrom(0)); // the registry could not be asked: the records stay next
    throw error;
  }
  return convertedOrUnread(instance, polled, records, (r) => toSchemaRecord(r, decode));
}

interface PollLimits {
  readonly timeoutMs: number;
  readonly maxRecords: number;
  readonly maxBytes: number;
}

export interface V2ConsumerDefaults {
  readonly requestTimeoutMs: number;
  /** Caps any instance's wait (consumer.request.max.wait.ms), whatever it was created with. */
  readonly maxWaitMs: number;
  readonly maxPollRecords: number;
  /** Confluent's consumer.request.max.bytes (64 MiB). */
  readonly maxResponseBytes: number;
}

type CreateBody = NonNullable<Parameters<OperationHandlers<RequestContext>['v2CreateConsumer']>[0]['body']>;

function flag(value: string | boolean | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return value === true || value === 'true';
}

function configOf(body: CreateBody, defaults: V2ConsumerDefaults): ConsumerInstanceConfig {
  const requested = body['consumer.request.timeout.ms'];
  const minBytes = body['fetch.min.bytes'];
  return {
    ...(minBytes === undefined ? {} : { fetchMinBytes: Number(minBytes) }),
    format: (body.format ?? 'binary') as EmbeddedFormat,
    autoOffsetReset: (body['auto.offset.reset'] ?? 'latest') as OffsetReset,
    autoCommit: flag(body['auto.commit.enable'], true),
    autoCommitIntervalMs: 5000,
    sessionTimeoutMs: 45_000,
    requestTimeoutMs: requested === undefined ? defaults.requestTimeoutMs : Number(requested),
  };
}

/** The embedded format the Accept header asks for; undefined when it names none (any, or absent). */
function acceptedFormat(accept: string | undefined): EmbeddedFormat | undefined {
  for (const part of (accept ?? '').split(',')) {
    const format = formatOf(part.split(';')[0]!.trim().toLowerCase());
    if (format) return format;
  }
  return undefined;
}

export function createV2ConsumerHandlers(services: Services, defaults: V2ConsumerDefaults): ConsumerHandlers {
  const topicsMatching = async (pattern: string): Promise<string[]> => {
    let regex: RegExp;
    try {
      regex = new RegExp(`^(?:${pattern})$`);
    } catch {
      throw new DomainError('invalid_payload', `topic_pattern '${pattern}' is not a valid regular expression.`);
    }
    return (await services.topics.list()).filter((t) => !t.isInternal && regex.test(t.name)).map((t) => t.name);
  };
  return {
    v2CreateConsumer: async ({ params, body }, ctx) => {
      const request = body ?? {};
      const name = request.name ?? request.id ?? `rest-consumer-${randomUUID()}`;
      const schemaType = schemaTypeOf((request.format ?? 'binary') as EmbeddedFormat);
      if (schemaType) services.schemas.requireRegistry(schemaType);
      await services.consumers.create(params.group_name, name, configOf(request, defaults), ctx.principal);
      return {
        status: 200,
        body: { instance_id: name, base_uri: ctx.links.url('consumers', params.group_name, 'instances', name) },
      };
    },
    v2DeleteConsumer: async ({ params }, ctx) => {
      await services.consumers.delete(params.group_name, params.instance, ctx.principal);
      return { status: 204, body: undefined };
    },
    v2Subscribe: async ({ params, body }, ctx) => {
      const instance = services.consumers.get(params.group_name, params.instance, ctx.principal);
      if (body.topics && body.topic_pattern) throw new DomainError('invalid_payload', 'Give either topics or topic_pattern, not both.');
      if (body.topics) requireAccess(ctx.principal, 'consume', body.topics);
      if (body.topic_pattern) requirePatternSubscription(ctx.principal);
      const topics = body.topics ?? (body.topic_pattern ? await topicsMatching(body.topic_pattern) : undefined);
      if (!topics || topics.length === 0) throw new DomainError('invalid_payload', 'Give topics, or a topic_pattern that matches at least one topic.');
      await instance.subscribe([...new Set(topics)]);
      return { status: 204, body: undefined };
    },
    v2GetSubscription: async ({ params }, ctx) => ({
      status: 200,
      body: { topics: [...services.consumers.get(params.group_name, params.instance, ctx.principal).topics] },
    }),
    v2Unsubscribe: async ({ params }, ctx) => {
      await services.consumers.get(params.group_name, params.instance, ctx.principal).unsubscribe();
      return { status: 204, body: undefined };
    },
    v2ConsumeRecords: async ({ params, query }, ctx) => {
      const instance = services.consumers.get(params.group_name, params.instance, ctx.principal);
      const format = instance.config.format;
      const asked = acceptedFormat(ctx.requestHeaders.accept);
      if (asked && asked !== format) {
        throw new DomainError('not_acceptable_format', `The consumer instance's format is ${format}; the Accept header asks for ${asked}.`);
      }
      const schemaType = schemaTypeOf(format);
      if (schemaType) services.schemas.requireRegistry(schemaType);
      const timeout = Math.min(query.timeout ?? instance.config.requestTimeoutMs, instance.config.requestTimeoutMs, defaults.maxWaitMs);
      const maxBytes = Math.min(query.max_bytes ?? defaults.maxResponseBytes, defaults.maxResponseBytes);
      const limits: PollLimits = { timeoutMs: timeout, maxRecords: defaults.maxPollRecords, maxBytes };
      const headers = { 'Content-Type': `application/vnd.kafka.${format}.v2+json` };
      if (!schemaType) return { status: 200, body: await bytesRecords(instance, format as 'binary' | 'json', limits), headers };
      return { status: 200, body: await schemaRecords(services, instance, schemaType, limits), headers };
    },
  };
}
