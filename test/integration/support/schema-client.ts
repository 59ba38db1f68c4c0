/** HTTP helpers for the schema-format tests: v2 produce, a v2 consumer instance's records, v3 produce, and kcat. */
import { execFileSync } from 'node:child_process';
import { expect } from 'vitest';
import { uniqueTopic } from './proxy-under-test.js';

export const V2 = 'application/vnd.kafka.v2+json';
export const mediaType = (format: string): string => `application/vnd.kafka.${format}.v2+json`;

export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

export async function send(baseUrl: string, path: string, init: { method?: string; type?: string; accept?: string; body?: unknown } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (init.type) headers['content-type'] = init.type;
  if (init.accept) headers['accept'] = init.accept;
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const response = await fetch(`${baseUrl}${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** The reports of a v3 streamed produce, one JSON object each. */
export function reports(text: string): Record<string, unknown>[] {
  return text.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * Creates a v2 consumer instance of `format` reading `topic` from the beginning, reads until `count` records came
 * (or an error), and deletes the instance. Returns the records, or the error reply.
 */
export async function consumeV2(baseUrl: string, topic: string, format: string, count: number): Promise<Reply> {
  const group = uniqueTopic('schema-group');
  const created = await send(baseUrl, `/consumers/${group}`, { type: V2, body: { name: 'reader', format, 'auto.offset.reset': 'earliest' } });
  expect(created.status).toBe(200);
  const path = `/consumers/${group}/instances/reader`;
  try {
    expect((await send(baseUrl, `${path}/subscription`, { type: V2, body: { topics: [topic] } })).status).toBe(204);
    const records: unknown[] = [];
    for (let attempt = 0; attempt < 10 && records.length < count; attempt++) {
      const reply = await send(baseUrl, `${path}/records?timeout=3000`, { accept: mediaType(format) });
      if (reply.status !== 200) return reply;
      records.push(...(reply.body as unknown[]));
    }
    return { status: 200, body: records };
  } finally {
    await send(baseUrl, path, { method: 'DELETE', type: V2 });
  }
}

/** Every value of partition 0 of `topic` as raw bytes, read by kcat (the independent witness). */
export function kcatValues(bootstrapServers: string, topic: string): Buffer[] {
  const out = execFileSync('kcat', ['-C', '-b', bootstrapServers, '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%S:%s'], { timeout: 20_000 });
  const values: Buffer[] = [];
  for (let at = 0; at < out.length; ) {
    const colon = out.indexOf(0x3a, at);
    const size = Number(out.subarray(at, colon).toString());
    values.push(out.subarray(colon + 1, colon + 1 + size));
    at = colon + 1 + size;
  }
  return values;
}
