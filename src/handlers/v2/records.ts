/**
 * Confluent v2's embedded formats ⇄ domain records: `binary` is base64 text, `json` is any JSON value, and the
 * schema formats (avro, jsonschema, protobuf) are JSON that the schema service writes and reads.
 */
import type { components } from '../../../generated/openapi-types.js';
import type { EmbeddedFormat } from '../../core/consumer-instance.js';
import type { ConsumedRecord, ProduceAck, ProduceRecord, RecordView } from '../../core/model.js';
import type { SchemaType } from '../../core/schemas/schema-codec.js';
import type { RecordDecoder } from '../../core/schemas/schema-service.js';
import type { SchemaRequest } from '../../core/schemas/schema-resolver.js';
import { DomainError } from '../../errors/domain-error.js';
import { errorResponse } from '../../errors/dialect-errors.js';
import { base64Field, topicJson } from '../records-json.js';
import type { FieldJson, RecordJson } from '../records-json.js';
import { decodeBase64 } from '../wire-values.js';

type Schemas = components['schemas'];
type Header = Schemas['Header'];
export type ProduceOffset = Schemas['ProduceOffset'];

export const EMBEDDED_FORMATS: readonly EmbeddedFormat[] = ['binary', 'json', 'avro', 'jsonschema', 'protobuf'];
export type SchemaFormat = 'avro' | 'jsonschema' | 'protobuf';
const SCHEMA_TYPES: Readonly<Record<SchemaFormat, SchemaType>> = { avro: 'AVRO', jsonschema: 'JSON', protobuf: 'PROTOBUF' };

/** `application/vnd.kafka.json.v2+json` → `json`; undefined for anything else. */
export function formatOf(mediaType: string): EmbeddedFormat | undefined {
  const match = /^application\/vnd\.kafka\.([a-z]+)\.v2\+json$/.exec(mediaType);
  const format = match?.[1] as EmbeddedFormat | undefined;
  return format && EMBEDDED_FORMATS.includes(format) ? format : undefined;
}

/** The registry's schema type of a schema format; undefined for binary and json. */
export function schemaTypeOf(format: EmbeddedFormat): SchemaType | undefined {
  return format in SCHEMA_TYPES ? SCHEMA_TYPES[format as SchemaFormat] : undefined;
}

interface SchemaFields {
  key_schema?: string;
  key_schema_id?: number;
  value_schema?: string;
  value_schema_id?: number;
}

function schemaRequest(text: string | undefined, id: number | undefined): SchemaRequest | undefined {
  if (text === undefined && id === undefined) return undefined;
  return { ...(text === undefined ? {} : { schema: text }), ...(id === undefined ? {} : { schemaId: id }) };
}

/** The key and value schemas a produce request names (text or id; both is refused by the schema service). */
export function schemaRequestsOf(body: SchemaFields): { key?: SchemaRequest; value?: SchemaRequest } {
  const key = schemaRequest(body.key_schema, body.key_schema_id);
  const value = schemaRequest(body.value_schema, body.value_schema_id);
  return { ...(key ? { key } : {}), ...(value ? { value } : {}) };
}

function fromBase64(text: string | null | undefined, what: string): Buffer | null {
  return text === null || text === undefined ? null : decodeBase64(text, what);
}

/** JSON values are stored as their JSON text; absent or null is no key / a tombstone. */
function fromJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

interface AnyRecord {
  key?: unknown;
  value?: unknown;
  partition?: number;
  headers?: Header[];
}

/** A record whose key and value are `encoded` already (schema formats), or given as the format says. */
export function toProduceRecord(
  format: 'binary' | 'json',
  topic: string,
  record: AnyRecord,
  index: number,
  defaultPartition?: number,
  encoded?: { key: Buffer | null; value: Buffer | null },
): ProduceRecord {
  const partition = record.partition ?? defaultPartition;
  const headers = (record.headers ?? []).map((h) => ({ key: h.name, value: fromBase64(h.value, `records[${index}].headers '${h.name}'`) }));
  const binary = format === 'binary';
  return {
    topic,
    ...(partition === undefined ? {} : { partition }),
    key: encoded ? encoded.key : binary ? fromBase64(record.key as string | null | undefined, `records[${index}].key`) : fromJson(record.key),
    value: encoded ? encoded.value : binary ? fromBase64(record.value as string | null | undefined, `records[${index}].value`) : fromJson(record.value),
    headers,
  };
}

export function toProduceOffset(result: ProduceAck | DomainError): ProduceOffset {
  if (result instanceof DomainError) {
    const { body } = errorResponse('v2', result.kind, result.message);
    return { partition: null, offset: null, error_code: 'error_code' in body ? body.error_code : 500, error: result.message };
  }
  return { partition: result.partition, offset: Number(result.offset), error_code: null, error: null };
}

function headersJson(record: RecordView): string {
  const headers = record.headers();
  if (headers.length === 0) return '[]';
  return JSON.stringify(headers.map((h): Header => ({ name: h.key, value: h.value?.toString('base64') ?? null })));
}

/** A json-format record's key or value: its JSON text as stored, re-serialised (406 when it is not JSON). */
export const jsonField: FieldJson = (bytes, start, end, what) => {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8', start, end));
  } catch {
    throw new DomainError('not_acceptable_format', `The ${what} of a record is not JSON, so a json-format consumer cannot return it: read it with a binary-format consumer.`);
  }
  return JSON.stringify(value);
};

/**
 * A v2 consumer record (BinaryConsumerRecord / JsonConsumerRecord): topic, key, value, partition, offset,
 * timestamp, headers — key and value through `field`.
 */
export function v2RecordJson(field: FieldJson): RecordJson {
  const topic = topicJson();
  return (r) => {
    const key = r.keyBuffer === null ? 'null' : field(r.keyBuffer, r.keyStart, r.keyEnd, 'key');
    const value = r.valueBuffer === null ? 'null' : field(r.valueBuffer, r.valueStart, r.valueEnd, 'value');
    return `{"topic":${topic(r.topic)},"key":${key},"value":${value},"partition":${r.partition},"offset":${r.offset},"timestamp":${r.timestampMs},"headers":${headersJson(r)}}`;
  };
}

const V2_RECORDS: Readonly<Record<'binary' | 'json', RecordJson>> = { binary: v2RecordJson(base64Field), json: v2RecordJson(jsonField) };

/** How a v2 consumer of an embedded format that needs no Schema Registry writes each record (one function per format). */
export function v2RecordJsonOf(format: 'binary' | 'json'): RecordJson {
  return V2_RECORDS[format];
}

function headersOut(record: ConsumedRecord): Header[] {
  return record.headers.map((h) => ({ name: h.key, value: h.value?.toString('base64') ?? null }));
}

/** Where a consumed record is, for messages about it. */
function placeOf(r: ConsumedRecord): string {
  return `record at ${r.topic}/${r.partition}@${r.offset}`;
}

export function toSchemaRecord(r: ConsumedRecord, decode: RecordDecoder): Schemas['SchemaConsumerRecord'] {
  return {
    topic: r.topic, key: decode(r.key, `key of the ${placeOf(r)}`), value: decode(r.value, `value of the ${placeOf(r)}`),
    partition: r.partition, offset: Number(r.offset), timestamp: r.timestampMs, headers: headersOut(r),
  };
}
