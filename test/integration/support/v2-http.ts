/**
 * A small HTTP client for the Confluent v2 dialect in tests. It uses node:http, since Confluent's committed-offsets
 * call is a GET with a body (which fetch refuses to send), and reports status, Content-Type and parsed body.
 */
import { request } from 'node:http';

export const V2 = 'application/vnd.kafka.v2+json';
export const JSON_V2 = 'application/vnd.kafka.json.v2+json';
export const BINARY_V2 = 'application/vnd.kafka.binary.v2+json';
export const EMBEDDED_V2 = ['binary', 'json', 'avro', 'jsonschema', 'protobuf'].map((format) => `application/vnd.kafka.${format}.v2+json`);

export interface Reply {
  status: number;
  type: string | null;
  body: unknown;
}

export interface CallInit {
  method?: string;
  type?: string;
  accept?: string;
  /** An object is sent as JSON, a string as it is. */
  body?: unknown;
  authorization?: string;
}

export function v2Call(baseUrl: string, path: string, init: CallInit = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (init.type) headers['content-type'] = init.type;
  if (init.accept) headers['accept'] = init.accept;
  if (init.authorization) headers['authorization'] = init.authorization;
  const payload = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  const url = new URL(`${baseUrl}${path}`);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: init.method ?? (payload === undefined ? 'GET' : 'POST'), headers },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? null, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
