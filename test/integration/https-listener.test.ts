/**
 * HTTPS listeners (`listeners=https://…` with `ssl.keystore.*`) and client-certificate authentication
 * (`ssl.client.authentication`, `ssl.truststore.*`), with certificates made by openssl for this run.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, toProxyConfig } from '../../src/config/config.js';
import { startProxy } from '../../src/proxy.js';
import { createLogger } from '../../src/server/logger.js';
import { httpsCall, TestPki } from './support/certificates.js';
import type { KeyPair } from './support/certificates.js';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';
import { basic, USERS, writeUsersFile } from './support/users-file.js';

let pki: TestPki;
let ca: string;

beforeAll(async () => {
  pki = await TestPki.create();
  await pki.issue('server', 'localhost', { server: true });
  ca = readFileSync(pki.path('ca.pem'), 'utf8');
});

function json(reply: { body: string }): unknown {
  return JSON.parse(reply.body);
}

describe('an https:// listener with a PKCS12 keystore', () => {
  let t: ProxyUnderTest;

  beforeAll(async () => {
    const keystore = await pki.pkcs12Keystore('server', 'keystore-pass-1');
    t = await startProxyUnderTest({ listeners: 'https://127.0.0.1:0', 'ssl.keystore.location': keystore, 'ssl.keystore.password': 'keystore-pass-1' });
  });
  afterAll(() => t?.proxy.stop());

  it('serves produce and read-back over HTTPS to a client that trusts the CA', async () => {
    expect(t.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const topic = uniqueTopic('tls');
    const produced = await httpsCall(`${t.baseUrl}/upstash/produce/${topic}`, { method: 'POST', body: JSON.stringify({ value: 'over-tls', partition: 0 }), ca });
    expect(produced.status).toBe(200);
    expect(json(produced)).toEqual([{ topic, partition: 0, offset: 0, timestamp: expect.any(Number) }]);
    const read = await httpsCall(`${t.baseUrl}/upstash/fetch`, { method: 'POST', body: JSON.stringify({ topic, partition: 0, offset: 0, timeout: 2000 }), ca });
    expect(read.status).toBe(200);
    expect(json(read)).toEqual([expect.objectContaining({ topic, partition: 0, offset: 0, value: 'over-tls' })]);
  });

  it('does not answer plain HTTP on the HTTPS port', async () => {
    await expect(fetch(`${t.baseUrl.replace('https:', 'http:')}/healthz`)).rejects.toThrow();
  });

  it('is refused by a client that does not trust its CA', async () => {
    await expect(httpsCall(`${t.baseUrl}/healthz`, { ca: readFileSync(pki.path('rogue-ca.pem'), 'utf8') })).rejects.toThrow(/certificate/);
  });

  it('does not start with a wrong keystore password, and says so', async () => {
    const config = toProxyConfig({
      ...DEFAULTS,
      'bootstrap.servers': t.bootstrapServers,
      listeners: 'https://127.0.0.1:0',
      'ssl.keystore.location': pki.path('server.p12'),
      'ssl.keystore.password': 'not-the-password',
    });
    await expect(startProxy(config, createLogger('silent'))).rejects.toThrow(/ssl\.keystore .*server\.p12.*wrong password/);
  });
});

describe('client certificates with ssl.client.authentication=REQUIRED (PEM keystore, PKCS12 truststore)', () => {
  let t: ProxyUnderTest;
  let admin: KeyPair;
  let producer: KeyPair;
  let stranger: KeyPair;
  let rogueAdmin: KeyPair;
  const topic = uniqueTopic('mtls');

  beforeAll(async () => {
    admin = await pki.issue('client-admin', USERS.admin.username);
    producer = await pki.issue('client-producer', USERS.producer.username);
    stranger = await pki.issue('client-stranger', 'stranger');
    rogueAdmin = await pki.issue('rogue-admin', USERS.admin.username, { ca: 'rogue-ca' });
    t = await startProxyUnderTest({
      listeners: 'https://127.0.0.1:0',
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.location': await pki.pemKeystore('server', 'key-pass-2'),
      'ssl.key.password': 'key-pass-2',
      'ssl.truststore.location': await pki.pkcs12Truststore('truststore-pass-3'),
      'ssl.truststore.password': 'truststore-pass-3',
      'ssl.client.authentication': 'REQUIRED',
      'auth.file': writeUsersFile(),
    });
  });
  afterAll(() => t?.proxy.stop());

  const produce = (client: KeyPair | undefined, headers: Record<string, string> = {}): ReturnType<typeof httpsCall> =>
    httpsCall(`${t.baseUrl}/upstash/produce/${topic}`, { method: 'POST', body: JSON.stringify({ value: 'v', partition: 0 }), headers, ca, ...(client ? { client } : {}) });
  const read = (client: KeyPair, headers: Record<string, string> = {}): ReturnType<typeof httpsCall> =>
    httpsCall(`${t.baseUrl}/upstash/fetch`, { method: 'POST', body: JSON.stringify({ topic, partition: 0, offset: 0, timeout: 500 }), headers, ca, client });

  it('refuses a connection without a client certificate', async () => {
    await expect(produce(undefined)).rejects.toThrow();
  });

  it('refuses a certificate from a CA the truststore does not hold', async () => {
    await expect(produce(rogueAdmin)).rejects.toThrow();
  });

  it("authenticates a request without Authorization as the users-file user named by the certificate's CN", async () => {
    const produced = await produce(admin);
    expect(produced.status).toBe(200);
    expect(json(produced)).toEqual([expect.objectContaining({ topic, partition: 0 })]);
    // 'producer' may produce but not consume: the certificate really selected that user.
    expect((await produce(producer)).status).toBe(200);
    const denied = await read(producer);
    expect(denied.status).toBe(403);
    expect(json(denied)).toEqual({ error: expect.stringMatching(/^User 'producer' .*may not consume/), status: 403 });
  });

  it('answers 401 to a trusted certificate whose CN is not a user', async () => {
    const r = await produce(stranger);
    expect(r.status).toBe(401);
    expect(json(r)).toEqual({ error: expect.any(String), status: 401 });
  });

  it('lets an Authorization header decide when one is sent, whatever the certificate says', async () => {
    expect((await read(producer, { authorization: basic(USERS.admin) })).status).toBe(200);
    const wrong = await produce(admin, { authorization: basic({ username: 'admin', password: 'wrong' }) });
    expect(wrong.status).toBe(401);
  });
});

describe('client certificates with ssl.client.authentication=REQUESTED', () => {
  let t: ProxyUnderTest;
  let admin: KeyPair;
  let rogueAdmin: KeyPair;

  beforeAll(async () => {
    admin = await pki.issue('requested-admin', USERS.admin.username);
    rogueAdmin = await pki.issue('requested-rogue', USERS.admin.username, { ca: 'rogue-ca' });
    t = await startProxyUnderTest({
      listeners: 'https://127.0.0.1:0',
      'ssl.keystore.location': await pki.pkcs12Keystore('server', 'keystore-pass-4'),
      'ssl.keystore.password': 'keystore-pass-4',
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': pki.path('ca.pem'),
      'ssl.client.authentication': 'REQUESTED',
      'auth.file': writeUsersFile(),
    });
  });
  afterAll(() => t?.proxy.stop());

  const topics = (init: { client?: KeyPair; headers?: Record<string, string> }): ReturnType<typeof httpsCall> =>
    httpsCall(`${t.baseUrl}/upstash/topics`, { ca, ...init });

  it('accepts connections without a certificate; they need Basic auth', async () => {
    expect((await topics({})).status).toBe(401);
    expect((await topics({ headers: { authorization: basic(USERS.admin) } })).status).toBe(200);
  });

  it('authenticates with a verified certificate, and not with an unverified one', async () => {
    expect((await topics({ client: admin })).status).toBe(200);
    expect((await topics({ client: rogueAdmin })).status).toBe(401);
  });
});
