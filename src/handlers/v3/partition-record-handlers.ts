/** v3's stateless read of a partition from an offset (an extension; Confluent's v3 has no consume API). */
import type { components } from '../../../generated/openapi-types.js';
import type { OperationHandlers } from '../../../generated/operations.js';
import type { ConsumedRecord } from '../../core/model.js';
import type { Services } from '../../core/services.js';
import type { RequestContext } from '../../server/request-context.js';
import { V3Resources } from './resources.js';

type PartitionRecordHandlers = Pick<OperationHandlers<RequestContext>, 'v3ReadPartitionRecords'>;
type KafkaRecord = components['schemas']['KafkaRecord'];

const bytes = (b: Buffer | null): { type: 'BINARY'; data: string } | null => (b === null ? null : { type: 'BINARY', data: b.toString('base64') });

function toKafkaRecord(clusterId: string, r: ConsumedRecord): KafkaRecord {
  return {
    kind: 'KafkaRecord',
    cluster_id: clusterId,
    topic_name: r.topic,
    partition_id: r.partition,
    offset: Number(r.offset),
    timestamp: new Date(r.timestampMs).toISOString(),
    key: bytes(r.key),
    value: bytes(r.value),
    headers: r.headers.map((h) => ({ name: h.key, value: h.value?.toString('base64') ?? null })),
  };
}

export function createV3PartitionRecordHandlers(services: Services, defaultTimeoutMs: number): PartitionRecordHandlers {
  return {
    v3ReadPartitionRecords: async ({ params, query }, ctx) => {
      const { clusterId } = await services.cluster.get(params.cluster_id);
      const maxRecords = query.max_records ?? 100;
      const records = await services.fetch.read(
        [{ topic: params.topic_name, partition: params.partition_id, offset: String(query.offset) }],
        query.timeout ?? defaultTimeoutMs,
        maxRecords,
      );
      const last = records.at(-1);
      const nextOffset = last ? (BigInt(last.offset) + 1n).toString() : String(query.offset);
      const base = new V3Resources(ctx.links).clusterUrl(clusterId, 'topics', params.topic_name, 'partitions', String(params.partition_id), 'records');
      return {
        status: 200,
        body: {
          kind: 'KafkaRecordList',
          metadata: { self: `${base}?offset=${query.offset}&max_records=${maxRecords}`, next: `${base}?offset=${nextOffset}&max_records=${maxRecords}` },
          data: records.map((r) => toKafkaRecord(clusterId, r)),
        },
      };
    },
  };
}
