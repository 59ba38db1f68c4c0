/** Confluent v2 produce: records to a topic or a partition, in the embedded format named by the Content-Type. */
import type { InputOf, OperationHandlers } from '../../../generated/operations.js';
import type { Services } from '../../core/services.js';
import { DomainError } from '../../errors/domain-error.js';
import { mediaTypeOf } from '../../server/request-body.js';
import type { RequestContext } from '../../server/request-context.js';
import { formatOf, schemaRequestsOf, schemaTypeOf, toProduceOffset, toProduceRecord } from './records.js';

type ProduceHandlers = Pick<OperationHandlers<RequestContext>, 'v2ProduceToTopic' | 'v2ProduceToPartition'>;

export function createV2ProduceHandlers(services: Services): ProduceHandlers {
  const produce = async (
    { params, body }: InputOf<'v2ProduceToTopic' | 'v2ProduceToPartition'>,
    ctx: RequestContext,
    partition?: number,
  ) => {
    const format = formatOf(mediaTypeOf(ctx.requestHeaders['content-type']));
    if (!format) throw new DomainError('unsupported_media_type', 'HTTP 415 Unsupported Media Type');
    const records = ((body as { records?: unknown[] }).records ?? []) as Parameters<typeof toProduceRecord>[2][];
    services.produce.requireRecordCount(records.length);
    // Schema formats: every key and value is checked and encoded before anything is written (all or nothing).
    const schemaType = schemaTypeOf(format);
    const encoded = schemaType ? await services.schemas.encodeBatch(schemaType, params.topic_name, schemaRequestsOf(body), records) : undefined;
    // No existence check here: as with a Java producer, the broker's auto.create.topics.enable decides (the
    // quickstart produces to a topic nobody created); the producer answers 40401 when it will not be created.
    const textFormat = format === 'binary' ? 'binary' : 'json';
    const domain = records.map((r, i) => toProduceRecord(textFormat, params.topic_name, r, i, partition, encoded?.records[i]));
    const results = await services.produce.produceEach(domain);
    const schemaIds = { key_schema_id: encoded?.keySchemaId ?? null, value_schema_id: encoded?.valueSchemaId ?? null };
    return { status: 200 as const, body: { offsets: results.map(toProduceOffset), ...schemaIds } };
  };
  return {
    v2ProduceToTopic: (input, ctx) => produce(input, ctx),
    v2ProduceToPartition: async (input, ctx) => {
      const topic = await services.topics.get(input.params.topic_name);
      if (!topic.partitions.some((p) => p.partitionId === input.params.partition_id)) {
        throw new DomainError('partition_not_found', `Partition ${input.params.partition_id} of topic '${topic.name}' not found.`);
      }
      return produce(input, ctx, input.params.partition_id);
    },
  };
}
