/**
 * JSON Schema with Ajv: the payload is the value's JSON text, checked against the schema before it is written.
 * The schema's `$schema` picks the draft (2020-12, 2019-09, else draft-07; draft-04/06 schemas are read as
 * draft-07, which accepts nearly all of them). Its `title` is the record name RECORD_NAME subjects use.
 */
import { Ajv } from 'ajv';
import type { AnySchemaObject, ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { invalidSchema, reasonOf, SchemaDataError } from './schema-codec.js';
import type { EncodedPayload, SchemaCodec } from './schema-codec.js';

// ajv-formats is CommonJS with a default export that TypeScript sees as the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const OPTIONS = { strict: false, allErrors: false, validateFormats: true } as const;
const OLD_DRAFTS = /json-schema\.org\/draft-0[3-6]\/schema/;

/** A fresh Ajv per schema: schemas of different subjects may share an `$id`, which one instance refuses. */
function compile(schema: AnySchemaObject): ValidateFunction {
  const draft = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (draft.includes('2020-12')) return addFormats(new Ajv2020(OPTIONS) as unknown as Ajv).compile(schema);
  if (draft.includes('2019-09')) return addFormats(new Ajv2019(OPTIONS) as unknown as Ajv).compile(schema);
  const { $schema: _ignored, ...rest } = schema;
  return addFormats(new Ajv(OPTIONS)).compile(OLD_DRAFTS.test(draft) ? rest : schema);
}

class JsonSchemaCodec implements SchemaCodec {
  readonly type = 'JSON';
  readonly recordName: string | undefined;

  constructor(private readonly validate: ValidateFunction, title: unknown) {
    this.recordName = typeof title === 'string' && title !== '' ? title : undefined;
  }

  encode(value: unknown): EncodedPayload {
    if (!this.validate(value)) {
      const error = this.validate.errors?.[0];
      throw new SchemaDataError(`${error?.instancePath || '(the value)'} ${error?.message ?? 'is invalid'}`);
    }
    return { payload: Buffer.from(JSON.stringify(value), 'utf8') };
  }

  decode(payload: Buffer, _indexes: readonly number[] | undefined): unknown {
    try {
      return JSON.parse(payload.toString('utf8'));
    } catch (error) {
      throw new SchemaDataError(reasonOf(error));
    }
  }
}

export function jsonSchemaCodec(schemaText: string): SchemaCodec {
  try {
    const schema: unknown = JSON.parse(schemaText);
    if (typeof schema === 'boolean') return new JsonSchemaCodec(compile(schema ? {} : { not: {} }), undefined);
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new Error('a JSON Schema is an object or a boolean');
    const object = schema as AnySchemaObject;
    return new JsonSchemaCodec(compile(object), object['title']);
  } catch (error) {
    throw invalidSchema('JSON', reasonOf(error));
  }
}
