/** What every schema format offers the schema service: JSON ⇄ payload bytes, checked against one parsed schema. */
import { DomainError } from '../../errors/domain-error.js';

/** The Schema Registry's names of the formats (`schemaType`; absent means AVRO). */
export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';

export interface EncodedPayload {
  readonly payload: Buffer;
  /** Protobuf only: which message of the schema the payload is (see wire-format.ts). */
  readonly messageIndexes?: readonly number[];
}

export interface SchemaCodec {
  readonly type: SchemaType;
  /** The fully-qualified name a RECORD_NAME subject takes; undefined when the schema names no record. */
  readonly recordName: string | undefined;
  /** A JSON value as the format's payload; SchemaDataError when the value does not fit the schema. */
  encode(value: unknown): EncodedPayload;
  /** A payload written with this schema, as JSON; SchemaDataError when it cannot be read with it. */
  decode(payload: Buffer, messageIndexes: readonly number[] | undefined): unknown;
}

/** 422/42205 for schema text that does not parse. */
export function invalidSchema(type: SchemaType, reason: string): DomainError {
  return new DomainError('invalid_schema', `Invalid schema: the ${type} schema does not parse: ${reason}`);
}

/**
 * A value the schema does not admit (produce), or stored bytes it cannot read (consume). The schema service says
 * which key or value of which record it was, and answers 422/42207 or 406/40601.
 */
export class SchemaDataError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SchemaDataError';
  }
}

export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
