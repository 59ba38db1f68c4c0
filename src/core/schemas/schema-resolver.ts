/**
 * Which registered schema a key or value is written with, by Confluent REST Proxy's rules (its SchemaManager):
 * - `schema_id`: that schema; its subject (given, or named by the strategy) must hold it — its version from there;
 * - `schema_version`: that version of the subject (given, or named by a strategy that needs no schema);
 * - `schema` (with its type): parsed here, then found under or registered to its subject;
 * - none of them: the subject's latest version.
 * Combining `schema_id`, `schema_version` and `schema` is a 400, as are a missing version (400, as Confluent) and a
 * type that contradicts the registered schema's.
 */
import { DomainError } from '../../errors/domain-error.js';
import type { SubjectVersion } from './registry-port.js';
import type { SchemaCatalog } from './schema-catalog.js';
import type { SchemaCodec, SchemaType } from './schema-codec.js';

export type SubjectNameStrategy = 'TOPIC_NAME' | 'RECORD_NAME' | 'TOPIC_RECORD_NAME';

/** The schema fields of one key or value of a produce request. */
export interface SchemaRequest {
  /** The format asked for: required with `schema`, checked against the registry otherwise. */
  readonly type?: SchemaType;
  readonly schema?: string;
  readonly schemaId?: number;
  readonly schemaVersion?: number;
  readonly subject?: string;
  readonly strategy?: SubjectNameStrategy;
}

export interface ResolvedSchema {
  readonly subject: string;
  readonly id: number;
  readonly version: number;
  readonly codec: SchemaCodec;
}

function badRequest(message: string): DomainError {
  return new DomainError('bad_request', message);
}

function subjectFor(request: SchemaRequest, topic: string, isKey: boolean, codec: SchemaCodec | undefined): string {
  if (request.subject !== undefined) return request.subject;
  const strategy = request.strategy ?? 'TOPIC_NAME';
  if (strategy === 'TOPIC_NAME') return `${topic}-${isKey ? 'key' : 'value'}`;
  if (!codec) throw badRequest(`Cannot use subject_name_strategy=${strategy} without schema_id or schema: give the subject, or the schema.`);
  const name = codec.recordName;
  if (name === undefined) throw badRequest(`subject_name_strategy=${strategy} needs a schema that names its record (an Avro record, a Protobuf message, a JSON Schema with a title).`);
  return strategy === 'RECORD_NAME' ? name : `${topic}-${name}`;
}

function requireType(request: SchemaRequest, codec: SchemaCodec, where: string): void {
  if (request.type !== undefined && request.type !== codec.type) {
    throw badRequest(`${where} is a ${codec.type} schema, but the request asks for ${request.type}.`);
  }
}

export class SchemaResolver {
  constructor(private readonly catalog: SchemaCatalog) {}

  async resolve(topic: string, isKey: boolean, request: SchemaRequest): Promise<ResolvedSchema> {
    const given = [request.schemaId !== undefined && 'schema_id', request.schemaVersion !== undefined && 'schema_version', request.schema !== undefined && 'schema'].filter(Boolean);
    if (given.length > 1) throw badRequest(`Unsupported argument: give one of schema_id, schema_version and schema, not ${given.join(' and ')}.`);
    if (request.schemaId !== undefined) return this.byId(topic, isKey, request, request.schemaId);
    if (request.schemaVersion !== undefined) return this.byVersion(request, subjectFor(request, topic, isKey, undefined), request.schemaVersion);
    if (request.schema !== undefined) return this.byText(topic, isKey, request, request.schema);
    return this.latest(request, subjectFor(request, topic, isKey, undefined));
  }

  private async byId(topic: string, isKey: boolean, request: SchemaRequest, id: number): Promise<ResolvedSchema> {
    const registered = await this.catalog.byId(id);
    if (!registered) throw new DomainError('serialization_failed', `Error serializing message. Schema ${id} not found in the Schema Registry.`);
    requireType(request, registered.codec, `Schema ${id}`);
    const subject = subjectFor(request, topic, isKey, registered.codec);
    const held = await this.catalog.lookup(subject, registered.text);
    if (!held) throw new DomainError('serialization_failed', `Error serializing message. Subject '${subject}' does not hold schema ${id}.`);
    return { subject, id, version: held.version, codec: registered.codec };
  }

  private async byVersion(request: SchemaRequest, subject: string, version: number): Promise<ResolvedSchema> {
    const found = await this.catalog.version(subject, version);
    if (!found) throw badRequest(`Schema does not exist for subject: ${subject}, version: ${version}`);
    return this.fromVersion(request, found);
  }

  private async byText(topic: string, isKey: boolean, request: SchemaRequest, schema: string): Promise<ResolvedSchema> {
    if (request.type === undefined) throw badRequest('Unsupported argument: a schema needs its type (AVRO, JSONSCHEMA or PROTOBUF).');
    const text = { schemaType: request.type, schema };
    const codec = await this.catalog.parse(text);
    const subject = subjectFor(request, topic, isKey, codec);
    const { id, version } = await this.catalog.idFor(subject, text);
    return { subject, id, version, codec };
  }

  private async latest(request: SchemaRequest, subject: string): Promise<ResolvedSchema> {
    const found = await this.catalog.version(subject, 'latest');
    if (!found) throw new DomainError('serialization_failed', `Error serializing message. Subject '${subject}' has no schema in the Schema Registry.`);
    return this.fromVersion(request, found);
  }

  private async fromVersion(request: SchemaRequest, found: SubjectVersion): Promise<ResolvedSchema> {
    const codec = await this.catalog.parse(found);
    requireType(request, codec, `Version ${found.version} of subject '${found.subject}'`);
    return { subject: found.subject, id: found.id, version: found.version, codec };
  }
}
