/**
 * openapi-backend, wired to our typed handlers: it routes a request to its operationId and validates
 * parameters and body against the spec; we read the body once the operation is known (its declared media
 * types decide 415) and turn every failure into a DomainError for the dialect's error envelope.
 */
import type { IncomingMessage } from 'node:http';
import { OpenAPIBackend } from 'openapi-backend';
import type { Context as ApiContext, Document, Request as ApiRequest } from 'openapi-backend';
import { operationMeta } from '../../generated/operations.js';
import type { AnyHandlerResult, OperationHandlers, OperationId, OperationMeta } from '../../generated/operations.js';
import type { Authenticator } from '../auth/authenticator.js';
import { requireOperationAccess } from '../auth/principal.js';
import type { Principal } from '../auth/principal.js';
import { DomainError } from '../errors/domain-error.js';
import { requireAcceptableV2 } from './accept-negotiation.js';
import { addFormats, MediaTypeValidator } from './media-type-validator.js';
import type { OperationWithBody } from './media-type-validator.js';
import { mediaTypeOf, readRequestBody, requireDeclaredMediaType } from './request-body.js';
import type { BodyTimeouts } from './request-body.js';
import type { RequestContext } from './request-context.js';
import type { ForwardedIdentity } from './forwarding-signature.js';
import type { InstanceRouting } from './instance-routing.js';
import type { ForwardedResponse } from './peer-client.js';
import { memoizePathTemplates, precompiledMatcher } from './route-matcher.js';
import { HTTP_METHODS_UPPER, validationKind, validationMessage } from './validation-messages.js';

export { precompiledMatcher } from './route-matcher.js';


/** Everything one request carries through openapi-backend's handler chain. */
export interface DispatchState {
  readonly req: IncomingMessage;
  readonly apiRequest: ApiRequest & { body?: unknown };
  readonly context: RequestContext;
  readonly bodyLimit: number;
  readonly bodyTimeouts: BodyTimeouts;
  /** The scheme the client used. */
  readonly proto: 'http' | 'https';
  /** Set when another node of the deployment forwarded the request (with the principal it authenticated). */
  readonly forwarded?: ForwardedIdentity;
  meta?: OperationMeta;
  body?: unknown;
  principal?: Principal;
}

export type DispatchResult =
  | { readonly meta: OperationMeta; readonly result: AnyHandlerResult; readonly forwarded?: undefined }
  /** Another node holds the consumer instance the request addresses: its answer, to be passed on as it comes. */
  | { readonly meta: OperationMeta; readonly forwarded: ForwardedResponse; readonly result?: undefined };

/** Thrown from the routing step to end the request with the answer of the node that handled it. */
class AnsweredElsewhere {
  constructor(
    readonly meta: OperationMeta,
    readonly response: ForwardedResponse,
  ) {}
}

type RawHandler = (api: ApiContext, state: DispatchState) => Promise<unknown>;

function metaOf(operationId: string | undefined): OperationMeta {
  const meta = operationId ? (operationMeta as Record<string, OperationMeta | undefined>)[operationId] : undefined;
  if (!meta) throw new DomainError('internal', `operation ${operationId ?? '?'} is not in the generated metadata`);
  return meta;
}

/** Header parameters under the names the spec (and so the handler's types) spell them; HTTP lower-cases them. */
function declaredHeaders(meta: OperationMeta, headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of meta.headerParameters) {
    const value = headers[name.toLowerCase()];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * `?=x` or `?a=1&=x`: a query parameter without a name. openapi-backend's query parser drops it silently, so the
 * schema's "no undeclared parameters" rule never sees it; it is refused like any undeclared one.
 */
function requireNamedQueryParameters(query: ApiRequest['query']): void {
  if (typeof query !== 'string' || query === '') return;
  if (query.split('&').some((pair) => pair.startsWith('='))) {
    throw new DomainError('bad_request', 'Invalid request: a query parameter has no name.');
  }
}

/**
 * `context` with `changes`. It is the request's own (app.ts makes one per request), so it is changed in place: a
 * copy by spreading would call its lazy logger getter (a child logger per request), a copy of its descriptors
 * cost 3% of a small produce.
 */
function contextWith(context: RequestContext, changes: Partial<RequestContext>): RequestContext {
  return Object.assign(context, changes);
}

/** Parameters that name a topic: v2/v3 `topic_name` and Upstash `topic` (in the path, or the webhook's query). */
const TOPIC_PARAMETERS = ['topic_name', 'topic'] as const;

function topicsNamedIn(...parameterSets: Record<string, unknown>[]): string[] {
  return parameterSets.flatMap((set) => TOPIC_PARAMETERS.map((name) => set[name]).filter((v): v is string => typeof v === 'string'));
}

export class ApiDispatcher {
  private readonly api: OpenAPIBackend;
  private readonly mediaTypes = new MediaTypeValidator();
  private readonly authenticators: Record<string, (api: ApiContext, state: DispatchState) => boolean | Promise<boolean>>;

  constructor(
    spec: Document,
    handlers: OperationHandlers<RequestContext>,
    private readonly authenticator: Authenticator,
    private readonly routing?: InstanceRouting,
  ) {
    this.authenticators = this.securityHandlers();
    this.api = new OpenAPIBackend({
      definition: structuredClone(spec),
      strict: true,
      // Quick: the bundled spec is linted at build time, so skip validating it again, and compile each operation's
      // request validators on first use: compiling all ~100 (and response validators, unused here) up front took
      // seconds of startup. Compiling them in the background after listening was tried: each compilation blocks the
      // event loop for tens of ms, which the first requests then wait for.
      quick: true,
      validate: true,
      coerceTypes: true,
      customizeAjv: (ajv) => addFormats(ajv),
      handlers: { ...this.operationHandlers(handlers), ...this.specialHandlers() },
      securityHandlers: this.authenticators,
    });
  }

  async init(): Promise<void> {
    await this.api.init();
    // openapi-backend's router rebuilds its flattened list of operations (a lodash chain over every path) for each
    // request it matches — a third of a small produce's CPU in profiles. The definition is fixed once initialised.
    const router = this.api.router;
    const operations = router.getOperations();
    router.getOperations = () => operations;
    router.matchOperation = precompiledMatcher(router, operations) as typeof router.matchOperation;
    memoizePathTemplates();
  }

  async dispatch(state: DispatchState): Promise<DispatchResult> {
    try {
      return (await this.api.handleRequest(state.apiRequest, state)) as DispatchResult;
    } catch (error) {
      if (error instanceof AnsweredElsewhere) return { meta: error.meta, forwarded: error.response };
      throw error;
    }
  }

  /**
   * For an operation addressing a consumer instance that another node holds: authenticates here (the edge), then
   * hands the request, body unread, to that node. Without valid credentials it stays here and gets its 401.
   */
  private async routeToHolder(api: ApiContext, state: DispatchState, meta: OperationMeta): Promise<void> {
    const target = meta.consumerInstance;
    if (!target || !this.routing) return;
    const schemes = (api.operation?.security ?? []).flatMap((requirement) => Object.keys(requirement));
    if (!(await this.authenticatesBy(schemes, api, state))) return;
    const response = await this.routing.elsewhere({
      target,
      params: api.request.params,
      req: state.req,
      principal: state.principal ?? state.context.principal,
      requestId: state.context.requestId,
      proto: state.proto,
      ...(state.forwarded ? { forwarded: state.forwarded } : {}),
    });
    if (response) throw new AnsweredElsewhere(meta, response);
  }

  /** Whether one of the operation's security schemes lets the caller in (none: everyone is). */
  private async authenticatesBy(schemes: readonly string[], api: ApiContext, state: DispatchState): Promise<boolean> {
    if (schemes.length === 0) return true;
    for (const scheme of schemes) if ((await this.authenticators[scheme]?.(api, state)) === true) return true;
    return false;
  }

  private documentValidator(api: ApiContext, state: DispatchState): (document: unknown) => string | undefined {
    const validate = this.mediaTypes.validatorOf(api.operation as OperationWithBody, mediaTypeOf(state.req.headers['content-type']), { includeJson: true });
    return (document) => {
      const errors = validate(document);
      return errors.length > 0 ? validationMessage(errors) : undefined;
    };
  }

  /** Bodies of `application/vnd.*+json` media types, which openapi-backend does not validate. */
  private validateMediaType(api: ApiContext, state: DispatchState): void {
    if (state.body === undefined || state.context.dialect === 'upstash') return;
    const errors = this.mediaTypes.validate(api.operation as OperationWithBody, mediaTypeOf(state.req.headers['content-type']), state.body);
    if (errors.length > 0) throw new DomainError(validationKind(errors, state.context.dialect), validationMessage(errors));
  }

  /** Methods the spec allows on a path (for 405's `Allow`); HEAD is served wherever GET is. */
  allowedMethods(request: ApiRequest): string[] {
    const declared = (method: string): boolean => this.api.matchOperation({ ...request, method }) !== undefined;
    return HTTP_METHODS_UPPER.filter((method) => declared(method) || (method === 'HEAD' && declared('GET')));
  }

  private operationHandlers(handlers: OperationHandlers<RequestContext>): Record<string, RawHandler> {
    const raw: Record<string, RawHandler> = {};
    for (const [operationId, handler] of Object.entries(handlers) as [OperationId, (i: unknown, c: RequestContext) => Promise<AnyHandlerResult>][]) {
      raw[operationId] = async (api, state) => {
        requireNamedQueryParameters(state.apiRequest.query);
        const meta = metaOf(operationId);
        // openapi-backend re-parses path parameters from the URL after coercing them: take the coerced ones.
        const coerced = (api.validation?.coerced as { params?: Record<string, unknown> } | undefined)?.params;
        const input = {
          params: coerced ?? api.request.params,
          query: api.request.query,
          headers: declaredHeaders(meta, api.request.headers),
          body: state.body,
        };
        const principal = state.principal ?? state.context.principal;
        // Before the handler runs, so that nothing reaches Kafka for a caller who may not call the operation.
        requireOperationAccess(principal, meta.permission, topicsNamedIn(input.params, input.query as Record<string, unknown>));
        const context = contextWith(state.context, {
          principal,
          ...(meta.streamingBody ? { validateDocument: this.documentValidator(api, state) } : {}),
        });
        return { meta, result: await handler(input, context) } satisfies DispatchResult;
      };
    }
    return raw;
  }

  private securityHandlers(): Record<string, (api: ApiContext, state: DispatchState) => boolean | Promise<boolean>> {
    const found = (state: DispatchState, principal: Principal | undefined): boolean => {
      if (principal) state.principal ??= principal;
      return principal !== undefined;
    };
    return {
      // Without an Authorization header, a verified client certificate (HTTPS listener) names the user. A request
      // another node forwarded acts for the user that node authenticated (signed: forwarding-signature.ts).
      basicAuth: async (api, state) => {
        if (state.forwarded) return found(state, state.forwarded.principal);
        const header = state.req.headers.authorization;
        return found(state, header === undefined ? this.authenticator.fromCertificate(state.req.socket) : await this.authenticator.fromBasic(header));
      },
      webhookQueryAuth: async (api, state) => {
        if (state.forwarded) return found(state, state.forwarded.principal);
        const query = api.request.query as Record<string, unknown>;
        return found(state, await this.authenticator.fromQuery(query['user'], query['pass']));
      },
    };
  }

  private specialHandlers(): Record<string, RawHandler> {
    return {
      unauthorizedHandler: async () => {
        throw new DomainError('unauthorized', 'Missing or wrong credentials: use HTTP Basic auth with a user of the credentials file.', {
          headers: { 'WWW-Authenticate': 'Basic realm="kafka-rest", charset="UTF-8"' },
        });
      },
      postRoutingHandler: async (api, state) => {
        if (!api.operation) return;
        const meta = metaOf(api.operation.operationId);
        state.meta = meta;
        if (state.context.dialect === 'v2') requireAcceptableV2(state.req.headers.accept);
        await this.routeToHolder(api, state, meta);
        if (meta.streamingBody) {
          requireDeclaredMediaType(meta, state.req.headers['content-type']);
          // The handler reads the body as it arrives; an empty object stands in for it in openapi-backend's
          // request validation, and each document is validated by the handler (validateDocument).
          state.apiRequest.body = {};
          api.request.requestBody = {};
          return;
        }
        state.body = await readRequestBody(state.req, meta, state.context.dialect, state.bodyLimit, state.bodyTimeouts);
        if (meta.rawBody) return;
        this.validateMediaType(api, state);
        state.apiRequest.body = state.body;
        api.request.requestBody = state.body;
        // Upstash bodies are JSON whatever the Content-Type says; say so, so openapi-backend validates them.
        if (state.context.dialect === 'upstash' && state.body !== undefined) state.apiRequest.headers['content-type'] = 'application/json';
      },
      notFound: async (api, state) => {
        // The path as the client sent it (the routed one may be the spec's spelling, or a placeholder).
        const sent = (state.req.url ?? api.request.path).split('?')[0];
        throw new DomainError('route_not_found', `HTTP 404 Not Found: no resource at ${sent}.`);
      },
      methodNotAllowed: async (api, state) => {
        const allow = this.allowedMethods(state.apiRequest);
        throw new DomainError('method_not_allowed', `HTTP 405 Method Not Allowed: ${api.request.method.toUpperCase()} is not supported here; use ${allow.join(', ')}.`, {
          headers: { Allow: allow.join(', ') },
        });
      },
      validationFail: async (api, state) => {
        const errors = api.validation.errors ?? [];
        const kind = validationKind(errors, state.context.dialect);
        if (kind === 'route_not_found') throw new DomainError(kind, `HTTP 404 Not Found: no resource at ${(state.req.url ?? api.request.path).split('?')[0]} (${validationMessage(errors)})`);
        throw new DomainError(kind, validationMessage(errors));
      },
    };
  }
}
