/**
 * What the schema service needs from a Schema Registry: only the calls Confluent's registry and the compatible
 * ones (Apicurio's ccompat API, Karapace) share. Implemented by src/schema-registry.
 *
 * Failures: unreachable or failing (5xx) → DomainError schema_registry_unavailable; anything the registry refuses
 * → RegistryRefusal, which the schema service turns into Confluent's codes.
 */
import type { SchemaType } from './schema-codec.js';

export interface SchemaText {
  readonly schemaType: SchemaType;
  readonly schema: string;
}

export interface SubjectVersion extends SchemaText {
  readonly subject: string;
  readonly id: number;
  readonly version: number;
}

export interface SchemaRegistryPort {
  /** The schema with this id; undefined when the registry has none. */
  schemaById(id: number): Promise<SchemaText | undefined>;
  /** A version of a subject (`latest`: its newest); undefined when the subject or the version does not exist. */
  subjectVersion(subject: string, version: number | 'latest'): Promise<SubjectVersion | undefined>;
  /** The id and version the subject holds this schema under; undefined when it does not hold it. */
  lookup(subject: string, schema: SchemaText): Promise<{ id: number; version: number } | undefined>;
  /** Registers the schema under the subject (the registry answers the existing id when it holds it already). */
  register(subject: string, schema: SchemaText): Promise<number>;
}

/** A 4xx from the registry other than "not found": an invalid or incompatible schema, or refused credentials. */
export class RegistryRefusal extends Error {
  constructor(
    readonly status: number,
    /** The registry's own error_code (42201 invalid schema, 409 incompatible, ...), when it gave one. */
    readonly registryCode: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryRefusal';
  }
}
