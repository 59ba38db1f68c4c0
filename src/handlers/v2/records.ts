/** Confluent v2's embedded formats ⇄ domain records: `binary` is base64 text, `json` is any JSON value. */
import type { components } from '../../../generated/openapi-types.js';
import type { EmbeddedFormat } from '../../core/consumer-instance.js';
import type { ConsumedRecord, ProduceAck, ProduceRecord } from '../../core/model.js';
import { DomainError } from '../../errors/domain-error.js';
import { errorResponse } from '../../errors/dialect-errors.js';
import { decodeBase64 } from '../wire-values.js';

type Schemas = components['schemas'];
type Header = Schemas['Header'];
export type ProduceOffset = Schemas['ProduceOffset'];

export const EMBEDDED_FORMATS: readonly EmbeddedFormat[] = ['binary', 'json', 'avro', 'jsonschema', 'protobuf'];
const SCHEMA_FORMATS = new Set<EmbeddedFormat>(['avro', 'jsonschema', 'protobuf']);

/** `application/vnd.kafka.json.v2+json` → `json`; undefined for anything else. */
export function formatOf(mediaType: string): EmbeddedFormat | undefined {
  const match = /^application\/vnd\.kafka\.([a-z]+)\.v2\+json$/.exec(mediaType);
  const format = match?.[1] as EmbeddedFormat | undefined;
  return format && EMBEDDED_FORMATS.includes(format) ? format : undefined;
}

interface SchemaFieldsAndRecords {
  key_schema?: string;
  key_schema_id?: number;
  value_schema?: string;
  value_schema_id?: number;
  records?: { key?: unknown; value?: unknown }[];
}

/**
 * A schema-format produce names a schema (or its id) for the keys and for the values it sends — checked first, as
 * Confluent checks it (42201 keys, 42202 values) — and then needs a Schema Registry, which is not configured (42206).
 */
export function requireSchemaRegistryless(format: EmbeddedFormat, body: SchemaFieldsAndRecords): void {
  if (!SCHEMA_FORMATS.has(format)) return;
  const records = Array.isArray(body.records) ? body.records : [];
  const given = (v: unknown): boolean => v !== undefined && v !== null;
  if (records.some((r) => given(r?.key)) && !given(body.key_schema) && !given(body.key_schema_id)) {
    throw new DomainError('key_schema_missing', `Records have keys but no key_schema or key_schema_id was given (the ${format} format needs one).`);
  }
  if (records.some((r) => given(r?.value)) && !given(body.value_schema) && !given(body.value_schema_id)) {
    throw new DomainError('value_schema_missing', `Records have values but no value_schema or value_schema_id was given (the ${format} format needs one).`);
  }
  throw new DomainError('invalid_payload', `Schema Registry is not configured: the ${format} format needs one.`);
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

export function toProduceRecord(format: 'binary' | 'json', topic: string, record: AnyRecord, index: number, defaultPartition?: number): ProduceRecord {
  const partition = record.partition ?? defaultPartition;
  const headers = (record.headers ?? []).map((h) => ({ key: h.name, value: fromBase64(h.value, `records[${index}].headers '${h.name}'`) }));
  const binary = format === 'binary';
  return {
    topic,
    ...(partition === undefined ? {} : { partition }),
    key: binary ? fromBase64(record.key as string | null | undefined, `records[${index}].key`) : fromJson(record.key),
    value: binary ? fromBase64(record.value as string | null | undefined, `records[${index}].value`) : fromJson(record.value),
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

function headersOut(record: ConsumedRecord): Header[] {
  return record.headers.map((h) => ({ name: h.key, value: h.value?.toString('base64') ?? null }));
}

function parseJson(bytes: Buffer | null, what: string): unknown {
  if (bytes === null) return null;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new DomainError('not_acceptable_format', `The ${what} of a record is not JSON, so a json-format consumer cannot return it: read it with a binary-format consumer.`);
  }
}

export function toBinaryRecord(r: ConsumedRecord): Schemas['BinaryConsumerRecord'] {
  return {
    topic: r.topic, key: r.key?.toString('base64') ?? null, value: r.value?.toString('base64') ?? null,
    partition: r.partition, offset: Number(r.offset), timestamp: r.timestampMs, headers: headersOut(r),
  };
}

export function toJsonRecord(r: ConsumedRecord): Schemas['JsonConsumerRecord'] {
  return {
    topic: r.topic, key: parseJson(r.key, 'key'), value: parseJson(r.value, 'value'),
    partition: r.partition, offset: Number(r.offset), timestamp: r.timestampMs, headers: headersOut(r),
  };
}
