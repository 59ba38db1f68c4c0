/** Renders generated/operations.ts: operation metadata and the typed operationId → handler map. */
import { listOperations, resolveLocal } from './spec-model.js';
import type { OperationEntry, RequestBodyObject, ResponseObject, SpecDocument } from './spec-model.js';

export type Dialect = 'ops' | 'v2' | 'v3' | 'upstash';

/** The dialect of an operation follows from its mount point in the spec. */
export function dialectOf(path: string, tags: readonly string[] = []): Dialect {
  if (tags.includes('Operations')) return 'ops';
  if (path === '/v3' || path.startsWith('/v3/')) return 'v3';
  if (path === '/upstash' || path.startsWith('/upstash/')) return 'upstash';
  return 'v2';
}

/**
 * Who may call an operation, declared by `x-permission` on every operation (the generator fails without it, so a
 * new endpoint cannot ship without a decision): `none` is open (and must say `security: []`); the others need a user
 * of the users file — `read` any user, `produce`/`consume`/`admin` a user with that permission — and a topic named
 * in the path must match the user's topic pattern.
 */
export const PERMISSIONS = ['none', 'read', 'produce', 'consume', 'admin'] as const;
export type OperationPermission = (typeof PERMISSIONS)[number];

/** Reads and checks an operation's x-permission against its security requirements and declared statuses. */
export function permissionOf(doc: SpecDocument, entry: OperationEntry): OperationPermission {
  const where = `${entry.method.toUpperCase()} ${entry.path} (${entry.operationId})`;
  const declared = entry.operation['x-permission'];
  if (!PERMISSIONS.includes(declared as OperationPermission)) {
    throw new Error(`${where} needs x-permission: one of ${PERMISSIONS.join(', ')} (found ${String(declared)})`);
  }
  const permission = declared as OperationPermission;
  const secured = (entry.operation.security ?? doc.security ?? []).length > 0;
  if (secured !== (permission !== 'none')) {
    throw new Error(`${where}: x-permission ${permission} ${secured ? 'but it requires credentials' : 'but it has security: []'}`);
  }
  const missing = secured ? ['401', '403'].filter((status) => !(status in entry.operation.responses)) : [];
  if (missing.length > 0) throw new Error(`${where} is secured but does not declare ${missing.join(' and ')}`);
  return permission;
}

/** The path parameters that name the consumer instance an operation addresses, and whether it creates one. */
export interface ConsumerInstanceTarget {
  group: string;
  instance: string;
  creates: boolean;
}

/**
 * `x-consumer-instance: {group: <path parameter>, instance: <path parameter>, creates?: true}` marks an operation
 * that addresses one consumer instance: in a deployment of several nodes it is handled by the node holding that
 * instance (docs/scaling.md). `creates`: the operation creates the instance when it does not exist (Upstash).
 */
export function consumerInstanceOf(doc: SpecDocument, entry: OperationEntry): ConsumerInstanceTarget | undefined {
  const declared = entry.operation['x-consumer-instance'];
  if (declared === undefined) return undefined;
  const where = `${entry.method.toUpperCase()} ${entry.path} (${entry.operationId})`;
  const pathParameters = [...(doc.paths[entry.path]?.parameters ?? []), ...(entry.operation.parameters ?? [])]
    .map((p) => resolveLocal<ParameterLike>(doc, p as ParameterLike))
    .filter((p) => p.in === 'path')
    .map((p) => p.name);
  for (const field of ['group', 'instance'] as const) {
    const name = declared[field];
    if (typeof name !== 'string' || !pathParameters.includes(name)) {
      throw new Error(`${where}: x-consumer-instance.${field} must name one of its path parameters (${pathParameters.join(', ')}), found ${String(name)}`);
    }
  }
  if (declared.creates !== undefined && typeof declared.creates !== 'boolean') throw new Error(`${where}: x-consumer-instance.creates must be true or false`);
  return { group: declared.group as string, instance: declared.instance as string, creates: declared.creates === true };
}

interface RenderedMeta {
  operationId: string;
  method: string;
  path: string;
  dialect: Dialect;
  summary: string;
  permission: OperationPermission;
  requestContentTypes: string[];
  requestBodyRequired: boolean;
  rawBody: boolean;
  streamingBody: boolean;
  headerParameters: string[];
  responseContentTypes: Record<string, string>;
  consumerInstance: ConsumerInstanceTarget | undefined;
}

interface ParameterLike {
  name?: string;
  in?: string;
}

/** Names of the header parameters declared on the path item and the operation. */
function headerParameters(doc: SpecDocument, entry: OperationEntry): string[] {
  const all = [...(doc.paths[entry.path]?.parameters ?? []), ...(entry.operation.parameters ?? [])];
  return all
    .map((p) => resolveLocal<ParameterLike>(doc, p as ParameterLike))
    .filter((p) => p.in === 'header' && typeof p.name === 'string')
    .map((p) => p.name as string);
}

function metaFor(doc: SpecDocument, entry: OperationEntry): RenderedMeta {
  const body = entry.operation.requestBody
    ? resolveLocal<RequestBodyObject>(doc, entry.operation.requestBody)
    : undefined;
  const responseContentTypes: Record<string, string> = {};
  for (const [status, response] of Object.entries(entry.operation.responses)) {
    const resolved = resolveLocal<ResponseObject>(doc, response);
    const first = Object.keys(resolved.content ?? {})[0];
    if (first) responseContentTypes[status] = first;
  }
  return {
    operationId: entry.operationId,
    method: entry.method,
    path: entry.path,
    dialect: dialectOf(entry.path, entry.operation.tags),
    summary: entry.operation.summary ?? '',
    permission: permissionOf(doc, entry),
    requestContentTypes: Object.keys(body?.content ?? {}),
    requestBodyRequired: body?.required === true,
    rawBody: entry.operation['x-raw-body'] === true,
    streamingBody: entry.operation['x-streaming-body'] === true,
    headerParameters: headerParameters(doc, entry),
    responseContentTypes,
    consumerInstance: consumerInstanceOf(doc, entry),
  };
}

const TYPE_HELPERS = `type Op<Id extends OperationId> = operations[Id];
type Defined<T> = Exclude<T, undefined>;
type OrEmpty<T> = [T] extends [never] ? Record<string, never> : T;
type MediaOf<T> = T extends { content: infer C } ? C[keyof C] : undefined;
type Responses<Id extends OperationId> = Op<Id>['responses'];
type DeclaredStatus<Id extends OperationId> = Extract<keyof Responses<Id>, number>;

/** What a handler receives: path, query and header parameters and the body, typed from the spec. */
export type HandlerInput<Id extends OperationId> = {
  params: OrEmpty<Defined<Op<Id>['parameters']['path']>>;
  query: OrEmpty<Defined<Op<Id>['parameters']['query']>>;
  headers: OrEmpty<Defined<Op<Id>['parameters']['header']>>;
  body: [Defined<Op<Id>['requestBody']>] extends [never] ? undefined : MediaOf<Op<Id>['requestBody']>;
};

/** The input of any of several operations (e.g. a POST and its GET twin), for one handler that serves them all. */
export type InputOf<Ids extends OperationId> = Ids extends OperationId ? HandlerInput<Ids> : never;

/**
 * What a handler returns: one of the statuses the spec declares for the operation, with the body declared for it.
 * Failures are thrown as DomainError instead, so that each dialect's error table decides their status and envelope.
 */
export type HandlerResult<Id extends OperationId> = {
  [S in DeclaredStatus<Id>]: {
    status: S;
    body: MediaOf<Responses<Id>[S]> | SerializedJson<MediaOf<Responses<Id>[S]>>;
    headers?: Record<string, string>;
  };
}[DeclaredStatus<Id>];

/**
 * A body already written as JSON text, for answers too large to build as objects first (a records poll writes each
 * record straight from the fetched bytes). T is the declared body it stands for; the writer is responsible for the
 * text matching it.
 */
export interface SerializedJson<T> {
  /** The text, or its UTF-8 bytes. */
  readonly serializedJson: string | Buffer;
  /** Never set: ties the text to the body type it was written for. */
  readonly shape?: T;
}

/** Any handler's result, as the server writes it. */
export interface AnyHandlerResult {
  readonly status: number;
  readonly body?: unknown;
  /** For streaming operations: text chunks written as they come (each a JSON document of the declared schema). */
  readonly stream?: AsyncIterable<string>;
  readonly headers?: Record<string, string>;
}

/** What a streaming operation (x-streaming-body) may return instead: its documents, written as they come. */
export interface StreamResult<S> {
  status: S;
  stream: AsyncIterable<string>;
  headers?: Record<string, string>;
}

export type OperationHandler<Id extends OperationId, Ctx> = (
  input: HandlerInput<Id>,
  ctx: Ctx,
) => Promise<Id extends StreamingOperationId ? HandlerResult<Id> | StreamResult<DeclaredStatus<Id>> : HandlerResult<Id>>;
`;

export function renderOperationsModule(doc: SpecDocument): string {
  const metas = listOperations(doc).map((entry) => metaFor(doc, entry));
  const ids = metas.map((m) => m.operationId);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new Error(`operationId ${duplicate} is used twice`);
  const lines: string[] = [
    '// Generated by scripts/generate.ts from openapi/ — do not edit. Run `npm run generate`.',
    "import type { operations } from './openapi-types.js';",
    '',
    "export type Dialect = 'ops' | 'v2' | 'v3' | 'upstash';",
    `export type OperationPermission = ${PERMISSIONS.map((p) => `'${p}'`).join(' | ')};`,
    `export type OperationId =\n${ids.map((id) => `  | '${id}'`).join('\n')};`,
    `export type StreamingOperationId = ${metas.filter((m) => m.streamingBody).map((m) => `'${m.operationId}'`).join(' | ') || 'never'};`,
    '',
    '/** The path parameters naming the consumer instance an operation addresses; `creates`: it may create it. */',
    'export interface ConsumerInstanceTarget {',
    '  readonly group: string;',
    '  readonly instance: string;',
    '  readonly creates: boolean;',
    '}',
    '',
    'export interface OperationMeta {',
    '  readonly operationId: OperationId;',
    '  readonly method: string;',
    '  readonly path: string;',
    '  readonly dialect: Dialect;',
    '  /** Who may call it (x-permission): none, read (any user), produce, consume or admin. */',
    '  readonly permission: OperationPermission;',
    '  readonly requestContentTypes: readonly string[];',
    '  readonly requestBodyRequired: boolean;',
    '  /** The body is handed over as raw bytes (a Buffer), not parsed. */',
    '  readonly rawBody: boolean;',
    '  /** The body is left unread for the handler, which reads it as a stream (and answers with one). */',
    '  readonly streamingBody: boolean;',
    '  /** Declared header parameter names, as the spec spells them. */',
    '  readonly headerParameters: readonly string[];',
    '  /** HTTP status → the first media type the spec declares for it. */',
    '  readonly responseContentTypes: Readonly<Record<string, string>>;',
    '  /** The consumer instance it addresses (x-consumer-instance): handled by the node holding that instance. */',
    '  readonly consumerInstance?: ConsumerInstanceTarget;',
    '}',
    '',
    'export const operationMeta: { readonly [Id in OperationId]: OperationMeta } = {',
    ...metas.map(
      (m) =>
        `  ${m.operationId}: ${JSON.stringify({
          operationId: m.operationId,
          method: m.method,
          path: m.path,
          dialect: m.dialect,
          permission: m.permission,
          requestContentTypes: m.requestContentTypes,
          requestBodyRequired: m.requestBodyRequired,
          rawBody: m.rawBody,
          streamingBody: m.streamingBody,
          headerParameters: m.headerParameters,
          responseContentTypes: m.responseContentTypes,
          ...(m.consumerInstance ? { consumerInstance: m.consumerInstance } : {}),
        })},`,
    ),
    '};',
    '',
    TYPE_HELPERS,
    '/** One handler per operation in the spec: a missing or mistyped handler fails the build. */',
    'export interface OperationHandlers<Ctx> {',
    ...metas.map(
      (m) =>
        `  /** ${m.method.toUpperCase()} ${m.path}${m.summary ? ` — ${m.summary}` : ''} */\n  ${m.operationId}: OperationHandler<'${m.operationId}', Ctx>;`,
    ),
    '}',
    '',
  ];
  return lines.join('\n');
}
