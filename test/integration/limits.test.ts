/**
 * Configurable limits, each hit over real HTTP: records per produce request, consumer instances per user, and
 * slow clients (headers and bodies that stop arriving) — all answered in the dialect's JSON error envelope.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';
import { basic, USERS, writeUsersFile } from './support/users-file.js';

interface Reply {
  status: number;
  body: unknown;
}

async function call(url: string, init: { method?: string; body?: unknown; type?: string; auth?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (init.auth) headers['authorization'] = init.auth;
  if (init.body !== undefined) headers['content-type'] = init.type ?? 'application/json';
  const response = await fetch(url, { method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  return { status: response.status, body: JSON.parse(await response.text()) };
}

async function createTopic(t: ProxyUnderTest, name: string): Promise<void> {
  // Creating a topic needs the admin permission where a users file is configured.
  const r = await call(`${t.baseUrl}/v3/clusters/${t.clusterId}/topics`, { body: { topic_name: name, partitions_count: 1 }, auth: basic(USERS.admin) });
  expect(r.status).toBe(201);
}

interface RawExchange {
  /** The status of the response, its JSON body, and when the server closed the connection. */
  readonly status: number;
  readonly body: unknown;
  readonly closedAfterMs: number;
}

/**
 * Sends `head` (and then `body` parts, `gapMs` apart) over a raw socket and waits until the server closes it;
 * a client that stops sending is exactly what a slow-client limit must deal with.
 */
function rawExchange(url: string, head: string, body: readonly string[] = [], gapMs = 0): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error('the server did not close the connection within 15 s'));
    }, 15_000);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(guard);
      const text = Buffer.concat(chunks).toString('utf8');
      const separator = text.indexOf('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
      resolve({ status, body: separator < 0 ? undefined : JSON.parse(text.slice(separator + 4)), closedAfterMs: Date.now() - started });
    });
    socket.write(head);
    body.forEach((part, i) => setTimeout(() => socket.writable && socket.write(part), gapMs * (i + 1)));
  });
}

describe('records per produce request (produce.request.max.records)', () => {
  let t: ProxyUnderTest;
  let topic: string;
  beforeAll(async () => {
    t = await startProxyUnderTest({ 'produce.request.max.records': '3' });
    topic = uniqueTopic('limits-records');
    await createTopic(t, topic);
  });
  afterAll(() => t.proxy.stop());

  it('Upstash: an array of 4 messages is 413 {error, status}; nothing of it reaches Kafka', async () => {
    const four = ['a', 'b', 'c', 'd'].map((value) => ({ topic, value }));
    const r = await call(`${t.baseUrl}/upstash/produce`, { body: four });
    expect(r).toEqual({ status: 413, body: { error: expect.stringContaining('at most 3'), status: 413 } });
    const toTopic = await call(`${t.baseUrl}/upstash/produce/${topic}`, { body: four.map(({ value }) => ({ value })) });
    expect(toTopic).toEqual({ status: 413, body: { error: expect.stringContaining('produce.request.max.records'), status: 413 } });
    const three = await call(`${t.baseUrl}/upstash/produce`, { body: four.slice(0, 3) });
    expect(three.status).toBe(200);
    expect((three.body as { offset: number }[]).map((a) => a.offset)).toEqual([0, 1, 2]);
  });

  it('v2: 4 records are 413 {error_code: 413}; 3 are produced', async () => {
    const type = 'application/vnd.kafka.json.v2+json';
    const r = await call(`${t.baseUrl}/topics/${topic}`, { type, body: { records: [1, 2, 3, 4].map((value) => ({ value })) } });
    expect(r).toEqual({ status: 413, body: { error_code: 413, message: expect.stringContaining('4 records') } });
    const ok = await call(`${t.baseUrl}/topics/${topic}`, { type, body: { records: [1, 2, 3].map((value) => ({ value })) } });
    expect(ok.status).toBe(200);
    expect((ok.body as { offsets: { offset: number }[] }).offsets.map((o) => o.offset)).toEqual([3, 4, 5]);
  });
});

describe('consumer instances per user (consumer.instances.max.per.user)', () => {
  let t: ProxyUnderTest;
  let open: ProxyUnderTest;
  let topic: string;
  let logsTopic: string;
  beforeAll(async () => {
    const limits = { 'consumer.instances.max.per.user': '2', 'consumer.instances.max': '10' };
    [t, open] = await Promise.all([startProxyUnderTest({ ...limits, 'auth.file': writeUsersFile() }), startProxyUnderTest(limits)]);
    topic = uniqueTopic('limits-users');
    logsTopic = uniqueTopic('logs.limits');
    await Promise.all([createTopic(t, topic), createTopic(t, logsTopic)]);
  });
  afterAll(() => Promise.all([t.proxy.stop(), open.proxy.stop()]));

  it('Upstash consume creates instances implicitly: a user\'s third is 429 {error, status}; another user still gets one', { timeout: 60_000 }, async () => {
    const consume = (user: { username: string; password: string }, group: string, instance: string, on = topic): Promise<Reply> =>
      call(`${t.baseUrl}/upstash/consume/${group}/${instance}/${on}?timeout=100`, { auth: basic(user) });
    const group = uniqueTopic('g');
    expect((await consume(USERS.admin, group, 'a1')).status).toBe(200);
    expect((await consume(USERS.admin, group, 'a2')).status).toBe(200);
    // The instances already held are still served.
    expect((await consume(USERS.admin, group, 'a1')).status).toBe(200);
    expect(await consume(USERS.admin, group, 'a3')).toEqual({ status: 429, body: { error: expect.stringContaining("User 'admin'"), status: 429 } });
    expect((await consume(USERS.logs, group, 'l1', logsTopic)).status).toBe(200);
    // Deleting one frees a place for that user.
    const removed = await call(`${t.baseUrl}/upstash/delete-consumer/${group}/a1`, { method: 'POST', auth: basic(USERS.admin) });
    expect(removed.status).toBe(200);
    expect((await consume(USERS.admin, group, 'a3')).status).toBe(200);
  });

  it('v2 create consumer: the third instance of the (anonymous) user is 429 {error_code: 42901}', async () => {
    const type = 'application/vnd.kafka.v2+json';
    const group = uniqueTopic('g2');
    const create = (name: string): Promise<Reply> => call(`${open.baseUrl}/consumers/${group}`, { type, body: { name, format: 'binary' } });
    expect((await create('c1')).status).toBe(200);
    expect((await create('c2')).status).toBe(200);
    expect(await create('c3')).toEqual({ status: 429, body: { error_code: 42901, message: expect.stringContaining("User 'anonymous'") } });
  });
});

describe('slow clients', () => {
  const HEADERS_MS = 1000;
  const IDLE_MS = 1000;
  const TOTAL_MS = 3000;
  let t: ProxyUnderTest;
  let topic: string;
  let host: string;
  beforeAll(async () => {
    t = await startProxyUnderTest({
      'request.headers.timeout.ms': String(HEADERS_MS),
      'request.body.idle.timeout.ms': String(IDLE_MS),
      'request.body.timeout.ms': String(TOTAL_MS),
    });
    topic = uniqueTopic('limits-slow');
    await createTopic(t, topic);
    host = new URL(t.baseUrl).host;
  });
  afterAll(() => t.proxy.stop());

  it('headers that stop arriving: 408 with a JSON error (both envelopes: the dialect is not known yet), connection closed', async () => {
    const r = await rawExchange(t.baseUrl, `GET /upstash/topics HTTP/1.1\r\nHost: ${host}\r\nX-Slow: `);
    expect(r.status).toBe(408);
    expect(r.body).toEqual({ error_code: 408, message: expect.stringContaining('headers'), error: expect.stringContaining('headers'), status: 408 });
    // Node looks for expired headers once a second (connectionsCheckingInterval).
    expect(r.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_MS - 50);
    expect(r.closedAfterMs).toBeLessThan(HEADERS_MS + 2500);
  });

  it('a v3 body that stops arriving: 408 {error_code: 408} after the idle timeout, connection closed', async () => {
    const head = `POST /v3/clusters/${t.clusterId}/topics HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`;
    const r = await rawExchange(t.baseUrl, head + '{"topic_na');
    expect(r.status).toBe(408);
    expect(r.body).toEqual({ error_code: 408, message: expect.stringContaining(`${IDLE_MS} ms`) });
    expect(r.closedAfterMs).toBeGreaterThanOrEqual(IDLE_MS - 50);
    expect(r.closedAfterMs).toBeLessThan(IDLE_MS + 1500);
  });

  it('an Upstash body that stops arriving: 408 {error, status: 408}', async () => {
    const head = `POST /upstash/produce/${topic} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 50\r\n\r\n`;
    const r = await rawExchange(t.baseUrl, head + '{"value":');
    expect(r.status).toBe(408);
    expect(r.body).toEqual({ error: expect.stringContaining('408'), status: 408 });
    expect(r.closedAfterMs).toBeLessThan(IDLE_MS + 1500);
  });

  it('a v2 body trickled slower than request.body.timeout.ms in all: 408 {error_code: 408} at the total', async () => {
    const head = `POST /topics/${topic} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/vnd.kafka.json.v2+json\r\nContent-Length: 200\r\n\r\n`;
    // A byte every 400 ms: never idle for IDLE_MS, but the whole body would take 80 s.
    const r = await rawExchange(t.baseUrl, head, Array.from({ length: 30 }, () => ' '), 400);
    expect(r.status).toBe(408);
    expect(r.body).toEqual({ error_code: 408, message: expect.stringContaining(`longer than ${TOTAL_MS} ms`) });
    expect(r.closedAfterMs).toBeGreaterThanOrEqual(TOTAL_MS - 50);
    expect(r.closedAfterMs).toBeLessThan(TOTAL_MS + 1500);
  });

  /** A chunked v3 produce stream: records written `gapMs` apart, then (optionally) silence; the report lines. */
  function stream(records: number, gapMs: number, thenStall: boolean): Promise<{ status: number; lines: { error_code: number; message?: string }[] }> {
    return new Promise((resolve, reject) => {
      const req = request(`${t.baseUrl}/v3/clusters/${t.clusterId}/topics/${topic}/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        const done = (): void => resolve({ status: res.statusCode ?? 0, lines: text.trim().split('\n').map((l) => JSON.parse(l) as { error_code: number }) });
        res.on('end', done);
        res.on('error', done);
      });
      req.on('error', reject);
      let sent = 0;
      const next = (): void => {
        req.write(JSON.stringify({ value: { type: 'STRING', data: `r${sent}` } }) + '\n');
        sent++;
        if (sent < records) setTimeout(next, gapMs);
        else if (!thenStall) req.end();
      };
      next();
    });
  }

  it('a long but active v3 stream is not cut: records every 250 ms for longer than every timeout', { timeout: 30_000 }, async () => {
    const r = await stream(20, 250, false);
    expect(r.status).toBe(200);
    expect(r.lines).toHaveLength(20);
    expect(r.lines.every((l) => l.error_code === 200)).toBe(true);
  });

  it('a v3 stream that goes quiet: its last report is a 408 error line, and the connection is closed', { timeout: 30_000 }, async () => {
    const started = Date.now();
    const r = await stream(3, 100, true);
    expect(r.status).toBe(200);
    expect(r.lines.slice(0, 3).map((l) => l.error_code)).toEqual([200, 200, 200]);
    expect(r.lines[3]).toEqual({ error_code: 408, message: expect.stringContaining(`${IDLE_MS} ms`) });
    expect(Date.now() - started).toBeLessThan(200 + IDLE_MS + 1500);
  });
});
