/**
 * Checks every response a proxy under test writes against the spec: the status must be declared for the
 * operation, the Content-Type must be one declared for that status, and a JSON body must match its schema. A
 * handler (or error path) drifting from the spec then fails the test file that exercised it.
 */
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import type Koa from 'koa';
import { OpenAPIBackend } from 'openapi-backend';
import type { Document, Operation } from 'openapi-backend';
import { addFormats } from '../../../src/server/media-type-validator.js';

interface ResponseObject {
  content?: Record<string, { schema?: object }>;
}

function declaredResponse(operation: Operation, status: number): ResponseObject | undefined {
  const responses = (operation.responses ?? {}) as Record<string, ResponseObject>;
  return responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses['default'];
}

function isJson(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

export class ResponseContract {
  readonly violations: string[] = [];
  private readonly api: OpenAPIBackend;
  private ready: Promise<unknown> | undefined;
  // openapi-backend validates application/json responses only; v2 answers in vnd.kafka.*+json, so Ajv does it all.
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true, validateFormats: true }));
  private readonly validators = new Map<string, ValidateFunction | null>();

  /** `upstashPrefix`: where the proxy under test mounts the Upstash dialect (the spec says /upstash). */
  constructor(
    spec: Document,
    private readonly upstashPrefix = '/upstash',
  ) {
    // Only its router is used (matchOperation); the schemas are compiled here, lazily, per response met.
    this.api = new OpenAPIBackend({ definition: structuredClone(spec), validate: false });
  }

  middleware(): Koa.Middleware {
    return async (ctx, next) => {
      await next();
      this.ready ??= this.api.init();
      await this.ready;
      const problem = this.check(ctx);
      if (problem) this.violations.push(`${ctx.method} ${ctx.url} → ${ctx.status}: ${problem}`);
    };
  }

  /** Throws with every violation seen, if any. */
  assertNone(): void {
    if (this.violations.length > 0) throw new Error(`responses that do not match the spec:\n${this.violations.join('\n')}`);
  }

  /** The path as the spec spells it, or undefined when no operation can be meant (an undecodable URL). */
  private specPath(path: string): string | undefined {
    try {
      decodeURIComponent(path);
    } catch {
      return undefined;
    }
    if (this.upstashPrefix === '/upstash') return path;
    if (path === this.upstashPrefix || path.startsWith(`${this.upstashPrefix}/`)) return `/upstash${path.slice(this.upstashPrefix.length)}`;
    return path.startsWith('/upstash') ? undefined : path;
  }

  private check(ctx: Koa.Context): string | undefined {
    const path = this.specPath(ctx.path);
    const operation = path === undefined ? undefined : this.api.matchOperation({ method: ctx.method, path, headers: {}, query: {} });
    // Unmatched paths (404/405 from routing) have no operation to hold them to.
    if (!operation) return undefined;
    const declared = declaredResponse(operation, ctx.status);
    if (!declared) return `status ${ctx.status} is not declared for ${operation.operationId}`;
    const body: unknown = ctx.body;
    if (ctx.status === 204 || body === '' || body === undefined || body === null) return undefined;
    const mediaType = ctx.response.type;
    const content = declared.content ?? {};
    if (!(mediaType in content)) return `Content-Type ${mediaType} is not declared (${Object.keys(content).join(', ') || 'none'})`;
    // Streams and non-JSON bodies are not checked; JSON comes as text, or as its bytes (answers written from them).
    if (!isJson(mediaType) || (typeof body !== 'string' && !Buffer.isBuffer(body))) return undefined;
    const validate = this.validatorFor(operation, ctx.status, mediaType, content[mediaType]?.schema);
    if (!validate || validate(JSON.parse(body.toString('utf8')))) return undefined;
    return `body does not match the schema: ${this.ajv.errorsText(validate.errors)}`;
  }

  private validatorFor(operation: Operation, status: number, mediaType: string, schema: object | undefined): ValidateFunction | null {
    const key = `${operation.operationId ?? ''} ${status} ${mediaType}`;
    if (!this.validators.has(key)) this.validators.set(key, schema ? this.ajv.compile(schema) : null);
    return this.validators.get(key) ?? null;
  }
}
