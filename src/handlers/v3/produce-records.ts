/** v3 produce records ⇄ domain records, and the per-record delivery reports. */
import type { components } from '../../../generated/openapi-types.js';
import type { ProduceAck, ProduceRecord } from '../../core/model.js';
import { errorResponse } from '../../errors/dialect-errors.js';
import { DomainError } from '../../errors/domain-error.js';
import { requireUnicodeText } from '../../core/produce-service.js';
import { decodeBase64, parseIsoTimestamp } from '../wire-values.js';

type Schemas = components['schemas'];
export type V3Record = Schemas['ProduceRecord'];
export type V3Report = Schemas['ProduceReport'];
type Data = Schemas['ProduceData'];

const SCHEMA_TYPES = new Set(['AVRO', 'JSONSCHEMA', 'PROTOBUF']);

export interface PreparedRecord {
  readonly record: ProduceRecord;
  readonly key?: { type: string; size: number };
  readonly value?: { type: string; size: number };
}

function bytesOf(data: Data | undefined, what: string): { bytes: Buffer | null; type: string } | undefined {
  if (data === undefined) return undefined;
  const type = data.type ?? 'JSON';
  if (SCHEMA_TYPES.has(type) || data.schema !== undefined || data.schema_id !== undefined || data.subject !== undefined) {
    throw new DomainError('invalid_payload', `Schema Registry is not configured: ${what} cannot use schemas (${type}).`);
  }
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

export function prepareRecord(topic: string, body: V3Record): PreparedRecord {
  const key = bytesOf(body.key, 'key');
  const value = bytesOf(body.value, 'value');
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
    ...(key ? { key: { type: key.type, size: key.bytes?.length ?? 0 } } : {}),
    ...(value ? { value: { type: value.type, size: value.bytes?.length ?? 0 } } : {}),
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
