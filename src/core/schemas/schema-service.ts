/**
 * The schema formats (avro, jsonschema, protobuf) for the Confluent dialects: JSON keys and values written in the
 * Schema Registry wire format with a registered schema, and records in that format read back as JSON.
 * Without a registry (no `schema.registry.url`), every use answers 422/42206 saying what to set.
 */
import { DomainError } from '../../errors/domain-error.js';
import type { ConsumedRecord } from '../model.js';
import type { SchemaRegistryPort } from './registry-port.js';
import { SchemaCatalog } from './schema-catalog.js';
import type { RegisteredSchema } from './schema-catalog.js';
import { reasonOf, SchemaDataError } from './schema-codec.js';
import type { SchemaType } from './schema-codec.js';
import { SchemaResolver } from './schema-resolver.js';
import type { ResolvedSchema, SchemaRequest } from './schema-resolver.js';
import { frame, readHeader, readMessageIndexes } from './wire-format.js';

/** The v2 embedded format names, for messages. */
const FORMAT_NAMES: Readonly<Record<SchemaType, string>> = { AVRO: 'avro', JSON: 'jsonschema', PROTOBUF: 'protobuf' };

export interface EncodedBatch {
  readonly keySchemaId: number | null;
  readonly valueSchemaId: number | null;
  readonly records: readonly { readonly key: Buffer | null; readonly value: Buffer | null }[];
}

export interface EncodedData {
  /** Null for null (or absent) data: no key, or a tombstone. */
  readonly bytes: Buffer | null;
  readonly schema: ResolvedSchema;
}

/** A key's or value's bytes as JSON (null stays null); 406/40601 for bytes it cannot read. */
export type RecordDecoder = (bytes: Buffer | null, what: string) => unknown;

const present = (value: unknown): boolean => value !== undefined && value !== null;

function encodeWith(schema: ResolvedSchema, data: unknown, what: string): Buffer | null {
  if (!present(data)) return null;
  try {
    const { payload, messageIndexes } = schema.codec.encode(data);
    return frame(schema.id, payload, messageIndexes);
  } catch (error) {
    if (!(error instanceof SchemaDataError)) throw error;
    throw new DomainError('serialization_failed', `Error serializing message: ${what} does not fit schema ${schema.id} (subject '${schema.subject}'): ${error.message}`);
  }
}

export class SchemaService {
  private readonly catalog: SchemaCatalog | undefined;
  private readonly resolver: SchemaResolver | undefined;

  constructor(registry: SchemaRegistryPort | undefined) {
    this.catalog = registry ? new SchemaCatalog(registry) : undefined;
    this.resolver = this.catalog ? new SchemaResolver(this.catalog) : undefined;
  }

  /**
   * v2 produce: every record's key and value with the request's key and value schemas, all or nothing. A key or
   * value without its schema is refused first (42201/42202), before the registry is asked anything.
   */
  async encodeBatch(type: SchemaType, topic: string, schemas: { key?: SchemaRequest; value?: SchemaRequest }, records: readonly { key?: unknown; value?: unknown }[]): Promise<EncodedBatch> {
    records.forEach((record, i) => {
      if (present(record.key) && !schemas.key) throw new DomainError('key_schema_missing', `Request includes keys but does not include key schema (records[${i}].key; give key_schema or key_schema_id).`);
      if (present(record.value) && !schemas.value) throw new DomainError('value_schema_missing', `Request includes values but does not include value schema (records[${i}].value; give value_schema or value_schema_id).`);
    });
    const resolver = this.requireResolver(type);
    const [key, value] = await Promise.all([
      schemas.key ? resolver.resolve(topic, true, { ...schemas.key, type }) : undefined,
      schemas.value ? resolver.resolve(topic, false, { ...schemas.value, type }) : undefined,
    ]);
    const encoded = records.map((record, i) => ({
      key: key ? encodeWith(key, record.key, `records[${i}].key`) : null,
      value: value ? encodeWith(value, record.value, `records[${i}].value`) : null,
    }));
    return { keySchemaId: key?.id ?? null, valueSchemaId: value?.id ?? null, records: encoded };
  }

  /** v3 produce: one key or value with the schema its fields name (see SchemaResolver). */
  async encodeData(topic: string, isKey: boolean, request: SchemaRequest, data: unknown, what: string): Promise<EncodedData> {
    const schema = await this.requireResolver(request.type).resolve(topic, isKey, request);
    return { bytes: encodeWith(schema, data, what), schema };
  }

  /**
   * Fetches (or finds cached) the schemas the records' keys and values name, then decodes each key or value on its
   * own, without waiting. A registry that cannot be reached fails the whole call (503).
   */
  async decoderFor(type: SchemaType, records: readonly ConsumedRecord[]): Promise<RecordDecoder> {
    const catalog = this.requireCatalog(type);
    const ids = new Set<number>();
    for (const record of records) {
      for (const bytes of [record.key, record.value]) if (bytes && bytes.length >= 5 && bytes[0] === 0) ids.add(bytes.readUInt32BE(1));
    }
    const schemas = new Map<number, RegisteredSchema | DomainError | undefined>();
    await Promise.all(
      [...ids].map(async (id) => {
        try {
          schemas.set(id, await catalog.byId(id));
        } catch (error) {
          // A schema we cannot parse makes only its records unreadable; the registry being down fails the call.
          if (error instanceof DomainError && error.kind === 'invalid_schema') schemas.set(id, error);
          else throw error;
        }
      }),
    );
    return (bytes, what) => (bytes === null ? null : decodeWith(schemas, type, bytes, what));
  }

  /** 422/42206 naming `schema.registry.url` when no Schema Registry is configured. */
  requireRegistry(type: SchemaType): void {
    this.requireCatalog(type);
  }

  private requireCatalog(type: SchemaType | undefined): SchemaCatalog {
    if (this.catalog) return this.catalog;
    const format = type ? `the ${FORMAT_NAMES[type]} format needs one` : 'schemas need one';
    throw new DomainError('invalid_payload', `Schema Registry is not configured: ${format} (set schema.registry.url, e.g. KAFKA_REST_SCHEMA_REGISTRY_URL).`);
  }

  private requireResolver(type: SchemaType | undefined): SchemaResolver {
    this.requireCatalog(type);
    return this.resolver!;
  }
}

function decodeWith(schemas: ReadonlyMap<number, RegisteredSchema | DomainError | undefined>, type: SchemaType, bytes: Buffer, what: string): unknown {
  const { schemaId, body } = readHeader(bytes, what);
  const schema = schemas.get(schemaId);
  const unreadable = (reason: string): DomainError =>
    new DomainError('not_acceptable_format', `The ${what} cannot be read: ${reason}. Read it with a binary-format consumer.`);
  if (schema === undefined) throw unreadable(`it names schema ${schemaId}, which the Schema Registry does not have`);
  if (schema instanceof DomainError) throw unreadable(`its schema ${schemaId} cannot be used here (${schema.message})`);
  if (schema.codec.type !== type) throw unreadable(`it was written with a ${schema.codec.type} schema (${schemaId}), and this consumer's format is ${FORMAT_NAMES[type]}`);
  const { indexes, payload } = type === 'PROTOBUF' ? readMessageIndexes(body, what) : { indexes: undefined, payload: body };
  try {
    return schema.codec.decode(payload, indexes);
  } catch (error) {
    throw unreadable(`schema ${schemaId} does not decode it (${reasonOf(error)})`);
  }
}
