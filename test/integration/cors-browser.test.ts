/**
 * CORS as a browser exercises it: a page served from one origin (a small HTTP server of the test) calls the proxy
 * on another with fetch() in headless Chromium — a preflighted produce in each dialect, with Basic auth, reading
 * the answer — and kcat finds the records in Kafka. The same page from an origin not in
 * `access.control.allow.origin` is refused by the browser after a 403 preflight, and nothing reaches Kafka.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { freePort } from '../../scripts/lib/free-port.js';
import { launchChromium } from '../../scripts/lib/chromium.js';
import type { Browser } from '../../scripts/lib/chromium.js';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';
import { basic, USERS, writeUsersFile } from './support/users-file.js';

const run = promisify(execFile);

/** The page's own helper: a fetch to the proxy, its outcome as plain data (a refused one as its error text). */
const PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>cors page</title><script>
window.callProxy = async (url, init) => {
  try {
    const response = await fetch(url, init);
    return { ok: true, status: response.status, body: await response.text(), requestId: response.headers.get('x-request-id') };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
};
</script></head><body>a page of another origin</body></html>`;

interface CallResult {
  readonly ok: boolean;
  readonly status?: number;
  readonly body?: string;
  readonly requestId?: string | null;
  readonly error?: string;
}

function servePage(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(PAGE);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function kcatValues(bootstrapServers: string, topic: string): Promise<string[]> {
  const { stdout } = await run('kcat', ['-C', '-b', bootstrapServers, '-t', topic, '-e', '-q', '-f', '%s\n'], { timeout: 30_000 });
  return stdout.trim().split('\n').filter(Boolean);
}

describe('CORS from a page in headless Chromium', { timeout: 90_000 }, () => {
  let t: ProxyUnderTest;
  let pageServer: Server;
  let browser: Browser;
  let allowedOrigin: string;
  let otherOrigin: string;
  const auth = basic(USERS.admin);

  beforeAll(async () => {
    const pagePort = await freePort();
    allowedOrigin = `http://127.0.0.1:${pagePort}`;
    // The same server under another host name is another origin.
    otherOrigin = `http://localhost:${pagePort}`;
    pageServer = await servePage(pagePort);
    t = await startProxyUnderTest({ 'auth.file': writeUsersFile(), 'access.control.allow.origin': `https://app.example.com,${allowedOrigin}` });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    pageServer?.close();
    await t?.proxy.stop();
  });

  async function pageAt(origin: string): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(`${origin}/`);
    return page;
  }

  function call(page: Page, url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<CallResult> {
    return page.evaluate(([u, i]) => (globalThis as unknown as { callProxy: (u: string, i: object) => Promise<CallResult> }).callProxy(u, i), [url, init] as const);
  }

  it('produces through Upstash from the allowed origin and reads the answer; kcat sees the record', async () => {
    const page = await pageAt(allowedOrigin);
    const topic = uniqueTopic('cors-upstash');
    const result = await call(page, `${t.baseUrl}/upstash/produce/${topic}`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ value: 'from the browser', key: 'k' }),
    });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(JSON.parse(result.body!)).toEqual([expect.objectContaining({ topic, partition: 0, offset: 0 })]);
    // An exposed header: the page may read the request id.
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await kcatValues(t.bootstrapServers, topic)).toEqual(['from the browser']);
    await page.close();
  });

  it('produces through Confluent v2 and v3 from the allowed origin', async () => {
    const page = await pageAt(allowedOrigin);
    const topic = uniqueTopic('cors-confluent');
    const v2 = await call(page, `${t.baseUrl}/topics/${topic}`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/vnd.kafka.json.v2+json' },
      body: JSON.stringify({ records: [{ value: { via: 'v2' } }] }),
    });
    expect(v2).toMatchObject({ ok: true, status: 200 });
    expect(JSON.parse(v2.body!).offsets).toEqual([expect.objectContaining({ partition: 0, offset: 0 })]);
    const v3 = await call(page, `${t.baseUrl}/v3/clusters/${t.clusterId}/topics/${topic}/records`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ value: { type: 'JSON', data: { via: 'v3' } } }),
    });
    expect(v3).toMatchObject({ ok: true, status: 200 });
    expect(JSON.parse(v3.body!)).toMatchObject({ error_code: 200, partition_id: 0, offset: 1 });
    expect(await kcatValues(t.bootstrapServers, topic)).toEqual(['{"via":"v2"}', '{"via":"v3"}']);
    await page.close();
  });

  it('from an origin that is not allowed, the browser refuses the call and nothing is produced', async () => {
    const page = await pageAt(otherOrigin);
    const topic = uniqueTopic('cors-refused');
    const result = await call(page, `${t.baseUrl}/upstash/produce/${topic}`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ value: 'must not arrive' }),
    });
    expect(result).toEqual({ ok: false, error: 'TypeError: Failed to fetch' });
    const topicNow = await fetch(`${t.baseUrl}/v3/clusters/${t.clusterId}/topics/${topic}`, { headers: { authorization: auth } });
    expect(topicNow.status).toBe(404);
    await page.close();
  });
});

describe('CORS preflights, dialect by dialect', () => {
  let t: ProxyUnderTest;
  const allowed = 'https://app.example.com';
  beforeAll(async () => {
    t = await startProxyUnderTest({ 'access.control.allow.origin': `${allowed},https://*.example.org`, 'access.control.allow.methods': 'GET,POST' });
  });
  afterAll(() => t.proxy.stop());

  const preflight = (path: string, origin: string): Promise<Response> =>
    fetch(`${t.baseUrl}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });

  const PATHS = { upstash: '/upstash/produce/t', v2: '/topics/t', v3: '/v3/clusters/c/topics/t/records', ops: '/healthz' };

  it('answers an allowed origin with 204 and the configured methods and headers, on every mount point', async () => {
    for (const path of Object.values(PATHS)) {
      const response = await preflight(path, allowed);
      expect(response.status, path).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
      expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST');
      expect(response.headers.get('access-control-allow-headers')).toContain('Authorization');
      expect(response.headers.get('access-control-max-age')).toBe('1800');
      expect(response.headers.get('vary')).toContain('Origin');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
    expect((await preflight(PATHS.v2, 'https://shop.example.org')).status).toBe(204);
  });

  it('refuses another origin with 403 in the dialect\'s envelope and no CORS headers', async () => {
    const refused = await Promise.all(Object.entries(PATHS).map(async ([dialect, path]) => {
      const response = await preflight(path, 'https://evil.example.net');
      return { dialect, status: response.status, allowOrigin: response.headers.get('access-control-allow-origin'), body: await response.json() };
    }));
    const message = 'Origin https://evil.example.net is not allowed to call this server (access.control.allow.origin).';
    expect(refused).toEqual([
      { dialect: 'upstash', status: 403, allowOrigin: null, body: { error: message, status: 403 } },
      { dialect: 'v2', status: 403, allowOrigin: null, body: { error_code: 40301, message } },
      { dialect: 'v3', status: 403, allowOrigin: null, body: { error_code: 40301, message } },
      { dialect: 'ops', status: 403, allowOrigin: null, body: { error_code: 40301, message } },
    ]);
  });

  it('serves a plain request from an allowed origin with Access-Control-Allow-Origin, and from another without', async () => {
    const ok = await fetch(`${t.baseUrl}/healthz`, { headers: { origin: allowed } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(allowed);
    const other = await fetch(`${t.baseUrl}/healthz`, { headers: { origin: 'https://evil.example.net' } });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('with access.control.allow.origin empty (the default) CORS is off: a preflight is an OPTIONS like any other (405)', async () => {
    const off = await startProxyUnderTest();
    try {
      const response = await fetch(`${off.baseUrl}/upstash/produce/t`, { method: 'OPTIONS', headers: { origin: allowed, 'access-control-request-method': 'POST' } });
      expect(response.status).toBe(405);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await off.proxy.stop();
    }
  });
});
