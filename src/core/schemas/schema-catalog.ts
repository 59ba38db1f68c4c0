/**
 * The registry's schemas as the schema service sees them, cached: parsed schemas by id (an id never changes
 * meaning) and by text, the ids subjects hold them under, and subject versions (`latest` for a second only, so a
 * newly registered version is used within a second).
 */
import { DomainError } from '../../errors/domain-error.js';
import { avroCodec } from './avro-codec.js';
import { jsonSchemaCodec } from './json-schema-codec.js';
import { protobufCodec } from './protobuf-codec.js';
import { RegistryRefusal } from './registry-port.js';
import type { SchemaRegistryPort, SchemaText, SubjectVersion } from './registry-port.js';
import type { SchemaCodec, SchemaType } from './schema-codec.js';

const LATEST_TTL_MS = 1000;
/** Distinct inline schemas and subject entries kept; the oldest are dropped beyond it. */
const MAX_ENTRIES = 1000;

const PARSERS: Readonly<Record<SchemaType, (text: string) => SchemaCodec>> = { AVRO: avroCodec, JSON: jsonSchemaCodec, PROTOBUF: protobufCodec };

/** A registry refusal in Confluent's terms: invalid schema 42205, anything else 42207 (503 for its credentials). */
export function refusalToDomain(error: unknown): unknown {
  if (!(error instanceof RegistryRefusal)) return error;
  if (error.status === 401 || error.status === 403) {
    return new DomainError('schema_registry_unavailable', `The Schema Registry refused the proxy's credentials: ${error.message}`);
  }
  if (error.registryCode === 42201 || (error.status === 422 && error.registryCode === undefined)) {
    return new DomainError('invalid_schema', `Invalid schema: ${error.message}`);
  }
  return new DomainError('serialization_failed', `Error serializing message. ${error.message}`);
}

/** A Map that forgets its oldest entries beyond MAX_ENTRIES, and failed or empty (undefined) lookups at once. */
class Cache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; at: number }>();

  get(key: string, maxAgeMs: number, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at <= maxAgeMs) return hit.value;
    const value = load();
    this.entries.set(key, { value, at: Date.now() });
    const forget = (): void => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    };
    value.then((v) => v === undefined && forget(), forget);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}

const FOREVER = Number.POSITIVE_INFINITY;

export interface RegisteredSchema {
  readonly id: number;
  readonly text: SchemaText;
  readonly codec: SchemaCodec;
}

export class SchemaCatalog {
  private readonly byIdCache = new Cache<RegisteredSchema | undefined>();
  private readonly byText = new Cache<SchemaCodec>();
  private readonly registered = new Cache<{ id: number; version: number } | undefined>();
  private readonly lookups = new Cache<{ id: number; version: number } | undefined>();
  private readonly versions = new Cache<SubjectVersion | undefined>();

  constructor(private readonly registry: SchemaRegistryPort) {}

  /** The parsed schema (422/42205 when it does not parse); parsing is cached by text. */
  parse(schema: SchemaText): Promise<SchemaCodec> {
    return this.byText.get(`${schema.schemaType}\u0000${schema.schema}`, FOREVER, async () => PARSERS[schema.schemaType](schema.schema));
  }

  /** Schema `id` with its text (as the registry holds it) parsed; undefined when the registry has none. */
  byId(id: number): Promise<RegisteredSchema | undefined> {
    return this.byIdCache.get(String(id), FOREVER, async () => {
      const text = await this.ask(() => this.registry.schemaById(id));
      return text ? { id, text, codec: await this.parse(text) } : undefined;
    });
  }

  /** The id and version `subject` holds the schema under, registering it there first when it holds none. */
  idFor(subject: string, schema: SchemaText): Promise<{ id: number; version: number }> {
    const key = `${subject}\u0000${schema.schemaType}\u0000${schema.schema}`;
    const found = this.registered.get(key, FOREVER, () =>
      this.ask(async () => {
        const existing = await this.registry.lookup(subject, schema);
        if (existing) return existing;
        await this.registry.register(subject, schema);
        return this.registry.lookup(subject, schema);
      }),
    );
    return found.then((entry) => {
      if (!entry) throw new DomainError('serialization_failed', `Error serializing message. The registry registered the schema under subject '${subject}' but does not find it there.`);
      return entry;
    });
  }

  /** The id and version `subject` holds the schema under; undefined when it does not hold it. */
  lookup(subject: string, schema: SchemaText): Promise<{ id: number; version: number } | undefined> {
    return this.lookups.get(`${subject}\u0000${schema.schemaType}\u0000${schema.schema}`, FOREVER, () => this.ask(() => this.registry.lookup(subject, schema)));
  }

  /** A version of a subject, or its latest; undefined when there is none. */
  version(subject: string, version: number | 'latest'): Promise<SubjectVersion | undefined> {
    const maxAge = version === 'latest' ? LATEST_TTL_MS : FOREVER;
    return this.versions.get(`${subject}\u0000${version}`, maxAge, () => this.ask(() => this.registry.subjectVersion(subject, version)));
  }

  private async ask<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw refusalToDomain(error);
    }
  }
}
