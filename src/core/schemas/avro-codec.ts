/**
 * Avro with avsc. Values are in Avro's JSON encoding, as Confluent's REST Proxy reads and writes them: a union
 * value other than null is wrapped in an object naming its branch (`{"string": "x"}`), bytes and fixed are strings
 * whose code points are the byte values, and logical types travel as their underlying type (decimal as bytes,
 * timestamp-millis as a long, uuid as a string).
 */
import avro from 'avsc';
import type { Type } from 'avsc';
import { invalidSchema, reasonOf, SchemaDataError } from './schema-codec.js';
import type { EncodedPayload, SchemaCodec } from './schema-codec.js';

const NAMED_TYPES = new Set(['record', 'error', 'enum', 'fixed']);

class AvroCodec implements SchemaCodec {
  readonly type = 'AVRO';
  readonly recordName: string | undefined;

  constructor(private readonly avroType: Type) {
    this.recordName = NAMED_TYPES.has(avroType.typeName) ? avroType.name : undefined;
  }

  encode(value: unknown): EncodedPayload {
    let datum: unknown;
    try {
      datum = this.avroType.fromString(JSON.stringify(value));
    } catch (error) {
      throw new SchemaDataError(reasonOf(error));
    }
    return { payload: this.avroType.toBuffer(datum) };
  }

  decode(payload: Buffer, _indexes: readonly number[] | undefined): unknown {
    try {
      return JSON.parse(this.avroType.toString(this.avroType.fromBuffer(payload)));
    } catch (error) {
      throw new SchemaDataError(reasonOf(error));
    }
  }
}

export function avroCodec(schemaText: string): SchemaCodec {
  try {
    return new AvroCodec(avro.Type.forSchema(JSON.parse(schemaText) as avro.Schema));
  } catch (error) {
    throw invalidSchema('AVRO', reasonOf(error));
  }
}
