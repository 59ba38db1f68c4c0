import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxyUnderTest } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; type: string | null; headers: Headers; body: unknown }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), headers: response.headers, body: JSON.parse(text) };
}

describe('protocol errors answer JSON in the dialect envelope', () => {
  let t: ProxyUnderTest;
  let topicsUrl: string;
  beforeAll(async () => {
    t = await startProxyUnderTest({ 'upstash.prefix': '/upstash', 'request.max.bytes': '1024' });
    topicsUrl = `${t.baseUrl}/v3/clusters/${t.clusterId}/topics`;
  });
  afterAll(() => t.proxy.stop());

  it('unknown path: 404 {error_code, message} at the root and under /v3', async () => {
    for (const path of ['/no/such/thing', '/v3/nothing-here']) {
      const r = await call(t.baseUrl + path);
      expect(r.status).toBe(404);
      expect(r.type).toMatch(/^application\/json/);
      expect(r.body).toEqual({ error_code: 404, message: expect.stringContaining('404') });
    }
  });

  it('unknown path under the Upstash prefix: 404 {error, status}', async () => {
    const r = await call(`${t.baseUrl}/upstash/no-such-endpoint`);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: expect.stringContaining('no-such-endpoint'), status: 404 });
  });

  it('wrong method: 405 with an Allow header', async () => {
    const r = await call(`${t.baseUrl}/v3/clusters`, { method: 'DELETE' });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET, HEAD');
    expect(r.body).toEqual({ error_code: 405, message: expect.stringContaining('DELETE') });

    const topics = await call(topicsUrl, { method: 'PUT' });
    expect(topics.status).toBe(405);
    expect(topics.headers.get('allow')).toBe('GET, HEAD, POST');

    const upstash = await call(`${t.baseUrl}/upstash/topics`, { method: 'POST' });
    expect(upstash.status).toBe(405);
    expect(upstash.body).toEqual({ error: expect.stringContaining('POST'), status: 405 });
  });

  it('unsupported Content-Type: 415', async () => {
    const r = await call(topicsUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"topic_name":"x"}' });
    expect(r.status).toBe(415);
    expect(r.body).toEqual({ error_code: 415, message: expect.stringContaining('text/plain') });
  });

  it('malformed JSON: 400', async () => {
    const r = await call(topicsUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"topic_name": ' });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error_code: 400, message: expect.stringContaining('Malformed JSON') });
  });

  it('a body that breaks the schema: 422/42206 naming the field', async () => {
    const r = await call(topicsUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"partitions_count": 1}' });
    expect(r.status).toBe(422);
    expect(r.body).toEqual({ error_code: 42206, message: expect.stringContaining('topic_name') });
  });

  it('an empty body where one is required: 422/42206', async () => {
    const r = await call(topicsUrl, { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(422);
    expect(r.body).toEqual({ error_code: 42206, message: 'Request body is empty.' });
  });

  it('a body over request.max.bytes: 413', async () => {
    const r = await call(topicsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic_name: 'x'.repeat(2000) }),
    });
    expect(r.status).toBe(413);
    expect(r.body).toEqual({ error_code: 413, message: expect.stringContaining('1024') });
  });

  it('a malformed percent-escape in the path: 400, not 500', async () => {
    const r = await call(`${t.baseUrl}/v3/clusters/%E0%A4%A`);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error_code: 400, message: expect.any(String) });
  });

  it('a query parameter without a name is refused like an undeclared one: 400 in each dialect', async () => {
    const message = 'Invalid request: a query parameter has no name.';
    expect(await call(`${topicsUrl}?=x`)).toMatchObject({ status: 400, body: { error_code: 400, message } });
    expect(await call(`${t.baseUrl}/v3/clusters/${t.clusterId}/acls?operation=READ&=null`)).toMatchObject({ status: 400, body: { error_code: 400, message } });
    expect(await call(`${t.baseUrl}/upstash/topics?=1`)).toMatchObject({ status: 400, body: { error: message, status: 400 } });
    expect((await call(`${topicsUrl}?`)).status).toBe(200);
  });

  it('echoes a valid X-Request-Id and makes one up otherwise', async () => {
    const given = await fetch(`${t.baseUrl}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await fetch(`${t.baseUrl}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('a configured Upstash prefix', () => {
  let t: ProxyUnderTest;
  beforeAll(async () => {
    t = await startProxyUnderTest({ 'upstash.prefix': '/kafka' });
  });
  afterAll(() => t.proxy.stop());

  it('serves the Upstash dialect there (trailing slash tolerated) and no longer under /upstash', async () => {
    const moved = await fetch(`${t.baseUrl}/kafka/topics/`);
    expect(moved.status).toBe(200);
    expect(typeof (await moved.json())).toBe('object');
    const old = await fetch(`${t.baseUrl}/upstash/topics`);
    expect(old.status).toBe(404);
  });
});
