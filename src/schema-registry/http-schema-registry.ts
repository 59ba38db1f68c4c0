/**
 * The Schema Registry adapter: the four calls of Confluent's REST API that the schema service uses (schema by id,
 * subject version, lookup, register). Tested against Apicurio Registry's Confluent-compatible API
 * (`/apis/ccompat/v7`); the same calls are those of Confluent's Schema Registry.
 */
import type { SchemaRegistrySettings } from '../config/config.js';
import type { SchemaType } from '../core/schemas/schema-codec.js';
import { RegistryRefusal } from '../core/schemas/registry-port.js';
import type { SchemaRegistryPort, SchemaText, SubjectVersion } from '../core/schemas/registry-port.js';
import { DomainError } from '../errors/domain-error.js';
import { RegistryHttp } from './registry-http.js';
import type { RegistryResponse } from './registry-http.js';

const SCHEMA_TYPES: readonly SchemaType[] = ['AVRO', 'JSON', 'PROTOBUF'];

interface SchemaBody {
  schema?: unknown;
  schemaType?: unknown;
  id?: unknown;
  version?: unknown;
  subject?: unknown;
  error_code?: unknown;
  message?: unknown;
}

function asBody(response: RegistryResponse): SchemaBody {
  return typeof response.body === 'object' && response.body !== null ? (response.body as SchemaBody) : {};
}

function unexpected(what: string, response: RegistryResponse): DomainError {
  return new DomainError('schema_registry_unavailable', `The Schema Registry gave an unexpected answer to ${what} (${response.status}): ${JSON.stringify(response.body)}`);
}

function refusal(what: string, response: RegistryResponse): RegistryRefusal {
  const body = asBody(response);
  const code = typeof body.error_code === 'number' ? body.error_code : undefined;
  const message = typeof body.message === 'string' ? body.message : JSON.stringify(response.body);
  return new RegistryRefusal(response.status, code, `${what}: ${message} (registry error ${code ?? response.status})`);
}

function schemaTextOf(what: string, response: RegistryResponse): SchemaText {
  const body = asBody(response);
  const schemaType = body.schemaType === undefined || body.schemaType === null ? 'AVRO' : body.schemaType;
  if (typeof body.schema !== 'string' || !SCHEMA_TYPES.includes(schemaType as SchemaType)) throw unexpected(what, response);
  return { schema: body.schema, schemaType: schemaType as SchemaType };
}

function requestBody(schema: SchemaText): Record<string, string> {
  // Confluent's default type needs no schemaType; older registries know no other field.
  return schema.schemaType === 'AVRO' ? { schema: schema.schema } : { schema: schema.schema, schemaType: schema.schemaType };
}

const path = (...parts: readonly (string | number)[]): string => parts.map((p) => `/${encodeURIComponent(String(p))}`).join('');

export class HttpSchemaRegistry implements SchemaRegistryPort {
  private readonly http: RegistryHttp;

  constructor(settings: SchemaRegistrySettings) {
    this.http = new RegistryHttp(settings);
  }

  async schemaById(id: number): Promise<SchemaText | undefined> {
    const what = `the schema with id ${id}`;
    const response = await this.http.request('GET', path('schemas', 'ids', id));
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw refusal(what, response);
    return schemaTextOf(what, response);
  }

  async subjectVersion(subject: string, version: number | 'latest'): Promise<SubjectVersion | undefined> {
    const what = `version ${version} of subject '${subject}'`;
    const response = await this.http.request('GET', path('subjects', subject, 'versions', version));
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw refusal(what, response);
    const body = asBody(response);
    if (typeof body.id !== 'number' || typeof body.version !== 'number') throw unexpected(what, response);
    return { ...schemaTextOf(what, response), subject, id: body.id, version: body.version };
  }

  async lookup(subject: string, schema: SchemaText): Promise<{ id: number; version: number } | undefined> {
    const what = `looking up the schema under subject '${subject}'`;
    const response = await this.http.request('POST', path('subjects', subject), requestBody(schema));
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw refusal(what, response);
    const body = asBody(response);
    if (typeof body.id !== 'number' || typeof body.version !== 'number') throw unexpected(what, response);
    return { id: body.id, version: body.version };
  }

  async register(subject: string, schema: SchemaText): Promise<number> {
    const what = `registering the schema under subject '${subject}'`;
    const response = await this.http.request('POST', `${path('subjects', subject, 'versions')}`, requestBody(schema));
    if (response.status !== 200) throw refusal(what, response);
    const body = asBody(response);
    if (typeof body.id !== 'number') throw unexpected(what, response);
    return body.id;
  }

  close(): void {
    this.http.close();
  }
}
