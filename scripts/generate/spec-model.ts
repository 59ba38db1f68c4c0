/** The parts of a bundled OpenAPI 3.0 document that the generators read. */
export interface MediaTypeObject {
  schema?: unknown;
}
export interface ReferenceObject {
  $ref: string;
}
export interface ResponseObject {
  description?: string;
  content?: Record<string, MediaTypeObject>;
}
export interface RequestBodyObject {
  required?: boolean;
  content: Record<string, MediaTypeObject>;
}
export interface OperationObject {
  operationId?: string;
  summary?: string;
  tags?: string[];
  requestBody?: RequestBodyObject | ReferenceObject;
  parameters?: unknown[];
  'x-raw-body'?: boolean;
  'x-streaming-body'?: boolean;
  /** Who may call the operation (see operations-module.ts); required on every operation. */
  'x-permission'?: string;
  /** The operation addresses a consumer instance, named by these path parameters (see operations-module.ts). */
  'x-consumer-instance'?: { group?: unknown; instance?: unknown; creates?: unknown };
  security?: SecurityRequirement[];
  responses: Record<string, ResponseObject | ReferenceObject>;
}
export type SecurityRequirement = Record<string, string[]>;
export type PathItemObject = Partial<Record<HttpMethod, OperationObject>> & { parameters?: unknown[] };
export interface SpecDocument {
  security?: SecurityRequirement[];
  paths: Record<string, PathItemObject>;
  components?: {
    responses?: Record<string, ResponseObject>;
    requestBodies?: Record<string, RequestBodyObject>;
  };
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface OperationEntry {
  operationId: string;
  method: HttpMethod;
  path: string;
  operation: OperationObject;
}

export function listOperations(doc: SpecDocument): OperationEntry[] {
  const entries: OperationEntry[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      if (!operation.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      entries.push({ operationId: operation.operationId, method, path, operation });
    }
  }
  return entries;
}

/** Follows a local `#/components/...` reference inside the bundled document. */
export function resolveLocal<T>(doc: SpecDocument, value: T | ReferenceObject): T {
  if (typeof value !== 'object' || value === null || !('$ref' in value)) return value;
  const segments = value.$ref.replace(/^#\//, '').split('/');
  let node: unknown = doc;
  for (const segment of segments) {
    node = (node as Record<string, unknown> | undefined)?.[decodeURIComponent(segment.replace(/~1/g, '/').replace(/~0/g, '~'))];
  }
  if (node === undefined) throw new Error(`unresolved reference ${value.$ref}`);
  return node as T;
}
