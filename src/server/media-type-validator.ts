/**
 * Validates request bodies declared under media types other than `application/json` (Confluent's
 * `application/vnd.kafka.*.v2+json`): openapi-backend validates only JSON and form bodies, so the schema the spec
 * gives for the request's own media type is compiled here (once per operation and type) and checked.
 */
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** Adds the string formats (byte, date-time, uri, ...) to an Ajv instance. */
// ajv-formats is CommonJS with a default export that TypeScript sees as the module object.
export const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export interface OperationWithBody {
  operationId?: string;
  requestBody?: { content?: Record<string, { schema?: object }> };
}

export class MediaTypeValidator {
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: false, validateFormats: true }));
  private readonly compiled = new Map<string, ValidateFunction | null>();

  /** The errors of `body` against the operation's schema for `mediaType`; [] when valid or nothing is declared. */
  validate(operation: OperationWithBody, mediaType: string, body: unknown, options: { includeJson?: boolean } = {}): ErrorObject[] {
    return this.validatorOf(operation, mediaType, options)(body);
  }

  /** `validate` for one operation and media type, looked up once (a streamed body checks each of its documents). */
  validatorOf(operation: OperationWithBody, mediaType: string, options: { includeJson?: boolean } = {}): (body: unknown) => ErrorObject[] {
    // openapi-backend's own validation covers JSON bodies, except the documents of a streamed body.
    if (mediaType === 'application/json' && !options.includeJson) return () => [];
    const validate = this.validatorFor(operation, mediaType);
    return (body) => {
      if (!validate || validate(body)) return [];
      return (validate.errors ?? []).map((e) => ({ ...e, instancePath: `/requestBody${e.instancePath}` }));
    };
  }

  private validatorFor(operation: OperationWithBody, mediaType: string): ValidateFunction | null {
    const key = `${operation.operationId ?? ''} ${mediaType}`;
    if (!this.compiled.has(key)) {
      const schema = operation.requestBody?.content?.[mediaType]?.schema;
      this.compiled.set(key, schema ? this.ajv.compile(schema) : null);
    }
    return this.compiled.get(key) ?? null;
  }
}
