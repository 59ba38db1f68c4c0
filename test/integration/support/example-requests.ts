/**
 * A request for any operation of the bundled spec that passes its validation, built from the spec's examples
 * (a parameter without one gets its schema's enum, default or minimum): what the auth sweep sends.
 */
import { request } from 'node:http';
import { listOperations, resolveLocal } from '../../../scripts/generate/spec-model.js';
import type { OperationEntry, RequestBodyObject, SpecDocument } from '../../../scripts/generate/spec-model.js';

interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
  schema?: { example?: unknown; enum?: unknown[]; default?: unknown; minimum?: number; type?: string };
}

interface MediaTypeWithExamples {
  example?: unknown;
  examples?: Record<string, { value?: unknown; $ref?: string }>;
}

export interface ExampleRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Topic names the request names in its path or query. */
  readonly topics: readonly string[];
}

function parameterValue(p: ParameterObject): unknown {
  const named = p.examples ? Object.values(p.examples)[0]?.value : undefined;
  const candidates = [p.example, named, p.schema?.example, p.schema?.enum?.[0], p.schema?.default, p.schema?.minimum];
  const found = candidates.find((value) => value !== undefined);
  if (found !== undefined) return found;
  return p.schema?.type === 'integer' || p.schema?.type === 'number' ? 0 : 'example';
}

function bodyOf(doc: SpecDocument, entry: OperationEntry): { contentType: string; body: string } | undefined {
  if (!entry.operation.requestBody) return undefined;
  const requestBody = resolveLocal<RequestBodyObject>(doc, entry.operation.requestBody);
  const [mediaType, content] = Object.entries(requestBody.content)[0]! as [string, MediaTypeWithExamples];
  const first = content.examples ? resolveLocal<{ value?: unknown }>(doc, Object.values(content.examples)[0]! as { value?: unknown }).value : undefined;
  const example = content.example ?? first;
  if (example === undefined) throw new Error(`${entry.operationId}: its request body has no example`);
  const contentType = mediaType === '*/*' ? 'text/plain' : mediaType;
  return { contentType, body: typeof example === 'string' && !mediaType.includes('json') ? example : JSON.stringify(example) };
}

export function exampleRequest(doc: SpecDocument, entry: OperationEntry): ExampleRequest {
  const declared = [...(doc.paths[entry.path]?.parameters ?? []), ...(entry.operation.parameters ?? [])];
  const parameters = declared.map((p) => {
    const parameter = resolveLocal<ParameterObject>(doc, p as ParameterObject);
    return parameter.schema ? { ...parameter, schema: resolveLocal(doc, parameter.schema) } : parameter;
  });
  let path = entry.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  const topics: string[] = [];
  for (const p of parameters) {
    if (!p.required && p.in !== 'path') continue;
    const value = String(parameterValue(p));
    if (p.name === 'topic' || p.name === 'topic_name') topics.push(value);
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(value));
    else if (p.in === 'query') query.set(p.name, value);
    else if (p.in === 'header') headers[p.name] = value;
  }
  const body = bodyOf(doc, entry);
  if (body) headers['content-type'] = body.contentType;
  const search = query.toString();
  return { method: entry.method.toUpperCase(), path: search ? `${path}?${search}` : path, headers, topics, ...(body ? { body: body.body } : {}) };
}

export function exampleRequests(doc: SpecDocument): Map<string, ExampleRequest> {
  return new Map(listOperations(doc).map((entry) => [entry.operationId, exampleRequest(doc, entry)]));
}

export interface RawReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
}

/** node:http rather than fetch: several Upstash operations are a GET with a body, which fetch refuses to send. */
export function send(baseUrl: string, req: ExampleRequest, extraHeaders: Record<string, string> = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const length = req.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(req.body)) };
    const headers = { accept: '*/*', ...length, ...req.headers, ...extraHeaders };
    const outgoing = request(`${baseUrl}${req.path}`, { method: req.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Not JSON (the API reference page): keep the text.
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
      res.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}
