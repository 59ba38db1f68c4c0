/** v3 produce records ⇄ domain records, and the per-record delivery reports. */
import type { components } from '../../../generated/openapi-types.js';
import type { ProduceAck, ProduceRecord } from '../../core/model.js';
import type { SchemaType } from '../../core/schemas/schema-codec.js';
import type { SchemaRequest, SubjectNameStrategy } from '../../core/schemas/schema-resolver.js';
import type { SchemaService } from '../../core/schemas/schema-service.js';
import { errorResponse } from '../../errors/dialect-errors.js';
import { DomainError } from '../../errors/domain-error.js';
import { requireUnicodeText } from '../../core/produce-service.js';
import { decodeBase64, parseIsoTimestamp } from '../wire-values.js';

type Schemas = components['schemas'];
export type V3Record = Schemas['ProduceRecord'];
export type V3Report = Schemas['ProduceReport'];
type Data = Schemas['ProduceData'];

/** v3's names of the schema types ⇄ the registry's. */
const SCHEMA_TYPES: Readonly<Record<string, SchemaType>> = { AVRO: 'AVRO', JSONSCHEMA: 'JSON', PROTOBUF: 'PROTOBUF' };
const V3_TYPE_NAMES: Readonly<Record<SchemaType, string>> = { AVRO: 'AVRO', JSON: 'JSONSCHEMA', PROTOBUF: 'PROTOBUF' };

type DataSize = Schemas['DataSize'];

export interface PreparedRecord {
  readonly record: ProduceRecord;
  readonly key?: DataSize;
  readonly value?: DataSize;
}

interface DataBytes {
  readonly bytes: Buffer | null;
  /** What the report says of it (`size` is added from `bytes`). */
  readonly about: Omit<DataSize, 'size'>;
}

function usesSchema(data: Data): boolean {
  const fields = [data.schema, data.schema_id, data.schema_version, data.subject, data.subject_name_strategy];
  return (data.type !== undefined && data.type in SCHEMA_TYPES) || fields.some((f) => f !== undefined);
}

async function schemaBytes(data: Data, what: string, topic: string, schemas: SchemaService): Promise<DataBytes> {
  if (data.type !== undefined && !(data.type in SCHEMA_TYPES)) throw new DomainError('bad_request', `${what}: type ${data.type} takes no schema fields.`);
  const request: SchemaRequest = {
    ...(data.type === undefined ? {} : { type: SCHEMA_TYPES[data.type] }),
    ...(data.schema === undefined ? {} : { schema: data.schema }),
    ...(data.schema_id === undefined ? {} : { schemaId: data.schema_id }),
    ...(data.schema_version === undefined ? {} : { schemaVersion: data.schema_version }),
    ...(data.subject === undefined ? {} : { subject: data.subject }),
    ...(data.subject_name_strategy === undefined ? {} : { strategy: data.subject_name_strategy as SubjectNameStrategy }),
  };
  const { bytes, schema } = await schemas.encodeData(topic, what === 'key', request, data.data, what);
  return { bytes, about: { type: V3_TYPE_NAMES[schema.codec.type], subject: schema.subject, schema_id: schema.id, schema_version: schema.version } };
}

/** Bytes without a schema, or undefined for no data. */
function plainDataOf(data: Data | undefined, what: 'key' | 'value'): DataBytes | undefined {
  if (data === undefined) return undefined;
  const plain = plainBytesOf(data, what);
  return { bytes: plain.bytes, about: { type: plain.type } };
}

function bytesOf(data: Data | undefined, what: 'key' | 'value', topic: string, schemas: SchemaService): Promise<DataBytes | undefined> {
  if (data !== undefined && usesSchema(data)) return schemaBytes(data, what, topic, schemas);
  return Promise.resolve(plainDataOf(data, what));
}

function plainBytesOf(data: Data, what: string): { bytes: Buffer | null; type: string } {
  const type = data.type ?? 'JSON';
  if (data.data === null || data.data === undefined) return { bytes: null, type };
  if (type === 'BINARY') {
    if (typeof data.data !== 'string') throw new DomainError('bad_request', `${what}.data is not valid base64.`);
    return { bytes: decodeBase64(data.data, `${what}.data`), type };
  }
  if (type === 'STRING') {
    if (typeof data.data !== 'string') throw new DomainError('bad_request', `${what}.data must be a string for type STRING.`);
    requireUnicodeText(data.data, `${what}.data`);
    return { bytes: Buffer.from(data.data, 'utf8'), type };
  }
  return { bytes: Buffer.from(JSON.stringify(data.data), 'utf8'), type };
}

/**
 * The record to produce, its key and value encoded (with their schemas, if they name any: then asynchronously, as
 * a schema may have to be fetched or registered). Throws (or rejects) with the record's DomainError.
 */
export function prepareRecord(topic: string, body: V3Record, schemas: SchemaService): PreparedRecord | Promise<PreparedRecord> {
  const plain = (data: Data | undefined): boolean => data === undefined || !usesSchema(data);
  if (plain(body.key) && plain(body.value)) return preparedFrom(topic, body, plainDataOf(body.key, 'key'), plainDataOf(body.value, 'value'));
  return Promise.all([bytesOf(body.key, 'key', topic, schemas), bytesOf(body.value, 'value', topic, schemas)]).then(([key, value]) =>
    preparedFrom(topic, body, key, value),
  );
}

function preparedFrom(topic: string, body: V3Record, key: DataBytes | undefined, value: DataBytes | undefined): PreparedRecord {
  const timestampMs = body.timestamp === undefined ? undefined : parseIsoTimestamp(body.timestamp, 'bad_request');
  const headers = (body.headers ?? []).map((h) => {
    return { key: h.name, value: h.value === null || h.value === undefined ? null : decodeBase64(h.value, `header '${h.name}'`) };
  });
  return {
    record: {
      topic,
      ...(body.partition_id === undefined ? {} : { partition: body.partition_id }),
      ...(timestampMs === undefined ? {} : { timestampMs }),
      key: key?.bytes ?? null,
      value: value?.bytes ?? null,
      headers,
    },
    ...(key ? { key: { ...key.about, size: key.bytes?.length ?? 0 } } : {}),
    ...(value ? { value: { ...value.about, size: value.bytes?.length ?? 0 } } : {}),
  };
}

let lastTime = { ms: Number.NaN, iso: '' };

/** The ISO-8601 text of epoch ms; the records of one Kafka request share their time, so the last one is kept. */
function isoTime(ms: number): string {
  if (ms !== lastTime.ms) lastTime = { ms, iso: new Date(ms).toISOString() };
  return lastTime.iso;
}

/** Where a record was stored: a batch success as it is, a stream's report with `error_code` 200 in front. */
export function delivery(clusterId: string, prepared: PreparedRecord, ack: ProduceAck): Omit<Schemas['BatchSuccess'], 'id'> {
  return {
    cluster_id: clusterId,
    topic_name: ack.topic,
    partition_id: ack.partition,
    offset: Number(ack.offset),
    timestamp: isoTime(ack.timestampMs),
    ...(prepared.key ? { key: prepared.key } : {}),
    ...(prepared.value ? { value: prepared.value } : {}),
  };
}

export function successReport(clusterId: string, prepared: PreparedRecord, ack: ProduceAck): V3Report {
  return { error_code: 200, ...delivery(clusterId, prepared, ack) };
}

export function errorReport(error: unknown): { error_code: number; message: string } {
  const domain = error instanceof DomainError ? error : new DomainError('internal', 'Internal server error.');
  const { body } = errorResponse('v3', domain.kind, domain.message);
  return 'error_code' in body ? body : { error_code: 500, message: domain.message };
}
