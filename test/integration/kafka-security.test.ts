/**
 * The proxy's connection to Kafka over SASL_PLAINTEXT (PLAIN, SCRAM-SHA-256), SSL and SASL_SSL (`client.security.protocol`,
 * `client.sasl.*`, `client.ssl.*`), against one extra local broker with those three listeners (its keystore made by
 * keytool), with kcat as the independent witness; and that no secret reaches a log line.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, toProxyConfig } from '../../src/config/config.js';
import { startLocalBroker } from '../../src/kafka/local-broker.js';
import type { LocalBroker } from '../../src/kafka/local-broker.js';
import { startProxy } from '../../src/proxy.js';
import type { RunningProxy } from '../../src/proxy.js';
import { createLogger } from '../../src/server/logger.js';
import { httpsCall, keytoolBrokerStores, TestPki } from './support/certificates.js';
import { addScramUser } from './support/kafka-tools.js';
import { startProxyUnderTest, uniqueTopic } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';
import { basic, USERS, writeUsersFile } from './support/users-file.js';

const run = promisify(execFile);

const SASL_PASSWORD = 'proxy-sasl-secret-7';
const STORE_PASSWORD = 'broker-store-pass-9';
const plainJaas = (username: string, password: string): string =>
  `org.apache.kafka.common.security.plain.PlainLoginModule required username="${username}" password="${password}";`;

let broker: LocalBroker;
let stores: { keystore: string; truststore: string; certPem: string };

beforeAll(async () => {
  stores = await keytoolBrokerStores(await mkdtemp(join(tmpdir(), 'kafka-rest-broker-tls-')), STORE_PASSWORD);
  const brokerJaas = `org.apache.kafka.common.security.plain.PlainLoginModule required username="broker" password="broker-pw" user_broker="broker-pw" user_proxy="${SASL_PASSWORD}";`;
  const scramJaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  broker = await startLocalBroker({
    log: () => undefined,
    extraListeners: [
      { name: 'SASL_PLAINTEXT', securityProtocol: 'SASL_PLAINTEXT' },
      { name: 'SSL', securityProtocol: 'SSL' },
      { name: 'SASL_SSL', securityProtocol: 'SASL_SSL' },
    ],
    extraServerProperties: {
      'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256',
      'listener.name.sasl_plaintext.plain.sasl.jaas.config': brokerJaas,
      'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config': scramJaas,
      'listener.name.sasl_ssl.plain.sasl.jaas.config': brokerJaas,
      'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config': scramJaas,
      'ssl.keystore.type': 'PKCS12',
      'ssl.keystore.location': stores.keystore,
      'ssl.keystore.password': STORE_PASSWORD,
      'ssl.key.password': STORE_PASSWORD,
      'ssl.client.auth': 'none',
    },
  });
}, 120_000);
afterAll(() => broker?.stop());

/** What kcat, connected with `settings`, reads of a topic's partition 0. */
async function kcatValues(address: string, topic: string, settings: readonly string[]): Promise<string[]> {
  const { stdout } = await run('kcat', ['-C', '-b', address, ...settings.flatMap((s) => ['-X', s]), '-t', topic, '-p', '0', '-e', '-q', '-f', '%s\n'], { timeout: 30_000 });
  return stdout.trim().split('\n');
}

const KCAT_SASL = ['security.protocol=SASL_PLAINTEXT', 'sasl.mechanisms=PLAIN', 'sasl.username=proxy', `sasl.password=${SASL_PASSWORD}`];

async function produceUpstash(t: ProxyUnderTest, topic: string, value: string): Promise<unknown> {
  const response = await fetch(`${t.baseUrl}/upstash/produce/${topic}`, { method: 'POST', body: JSON.stringify({ value, partition: 0 }) });
  expect(response.status).toBe(200);
  return response.json();
}

describe('client.security.protocol=SASL_PLAINTEXT with PLAIN', () => {
  let t: ProxyUnderTest;

  beforeAll(async () => {
    t = await startProxyUnderTest({
      'bootstrap.servers': `SASL_PLAINTEXT://${broker.listeners['SASL_PLAINTEXT']}`,
      'client.security.protocol': 'SASL_PLAINTEXT',
      'client.sasl.mechanism': 'PLAIN',
      'client.sasl.jaas.config': plainJaas('proxy', SASL_PASSWORD),
    });
  });
  afterAll(() => t?.proxy.stop());

  it('produces records that kcat, authenticated the same way, reads', async () => {
    const topic = uniqueTopic('sasl');
    expect(await produceUpstash(t, topic, 'through-sasl')).toEqual([{ topic, partition: 0, offset: 0, timestamp: expect.any(Number) }]);
    expect(await kcatValues(broker.listeners['SASL_PLAINTEXT']!, topic, KCAT_SASL)).toEqual(['through-sasl']);
  });

  it('does not start with a wrong password, and says why (no crash, no hang)', async () => {
    const config = toProxyConfig({
      ...DEFAULTS,
      'bootstrap.servers': broker.listeners['SASL_PLAINTEXT']!,
      listeners: 'http://127.0.0.1:0',
      'client.security.protocol': 'SASL_PLAINTEXT',
      'client.sasl.jaas.config': plainJaas('proxy', 'wrong-password'),
    });
    const started = Date.now();
    await expect(startProxy(config, createLogger('silent'))).rejects.toThrow(/cannot connect to Kafka at .* over SASL_PLAINTEXT with SASL PLAIN: .*SASL PLAIN authentication failed/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('client.sasl.mechanism=SCRAM-SHA-256', () => {
  let t: ProxyUnderTest;

  beforeAll(async () => {
    await addScramUser(broker.bootstrapServers, 'SCRAM-SHA-256', 'scram-proxy', 'scram-secret-5');
    t = await startProxyUnderTest({
      'bootstrap.servers': broker.listeners['SASL_PLAINTEXT']!,
      'client.security.protocol': 'SASL_PLAINTEXT',
      'client.sasl.mechanism': 'SCRAM-SHA-256',
      'client.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="scram-proxy" password="scram-secret-5";',
    });
  }, 60_000);
  afterAll(() => t?.proxy.stop());

  it('produces records that kcat reads', async () => {
    const topic = uniqueTopic('scram');
    await produceUpstash(t, topic, 'through-scram');
    expect(await kcatValues(broker.listeners['SASL_PLAINTEXT']!, topic, KCAT_SASL)).toEqual(['through-scram']);
  });
});

describe('client.security.protocol=SSL with a keytool PKCS12 truststore', () => {
  let t: ProxyUnderTest;

  beforeAll(async () => {
    t = await startProxyUnderTest({
      'bootstrap.servers': `SSL://${broker.listeners['SSL']}`,
      'client.security.protocol': 'SSL',
      'client.ssl.truststore.location': stores.truststore,
      'client.ssl.truststore.password': STORE_PASSWORD,
    });
  });
  afterAll(() => t?.proxy.stop());

  it('produces over TLS; the proxy reads it back and kcat over SSL reads it too', async () => {
    const topic = uniqueTopic('ssl');
    await produceUpstash(t, topic, 'through-tls');
    const read = await fetch(`${t.baseUrl}/upstash/fetch`, { method: 'POST', body: JSON.stringify({ topic, partition: 0, offset: 0, timeout: 2000 }) });
    expect(await read.json()).toEqual([expect.objectContaining({ topic, offset: 0, value: 'through-tls' })]);
    expect(await kcatValues(broker.listeners['SSL']!, topic, ['security.protocol=SSL', `ssl.ca.location=${stores.certPem}`])).toEqual(['through-tls']);
  });

  it('refuses a bootstrap.servers prefix that disagrees with client.security.protocol', () => {
    expect(() => toProxyConfig({ ...DEFAULTS, 'bootstrap.servers': `SASL_SSL://${broker.listeners['SSL']}`, 'client.security.protocol': 'SSL' })).toThrow(
      /bootstrap.servers: names SASL_SSL:\/\/ but the connection to Kafka uses SSL/,
    );
  });
});

describe('secrets never reach the logs', () => {
  const lines: string[] = [];
  let proxy: RunningProxy;
  let baseUrl: string;
  let ca: string;
  const HTTPS_KEYSTORE_PASSWORD = 'https-keystore-pass-8';
  const WRONG_SASL_PASSWORD = 'wrong-sasl-password-0';

  function configWith(saslPassword: string, https: Record<string, string>): ReturnType<typeof toProxyConfig> {
    return toProxyConfig({
      ...DEFAULTS,
      'bootstrap.servers': `SASL_SSL://${broker.listeners['SASL_SSL']}`,
      'client.sasl.jaas.config': plainJaas('proxy', saslPassword),
      'client.ssl.truststore.location': stores.truststore,
      'client.ssl.truststore.password': STORE_PASSWORD,
      'auth.file': writeUsersFile(),
      'log.level': 'trace',
      ...https,
    });
  }

  beforeAll(async () => {
    const pki = await TestPki.create();
    await pki.issue('server', 'localhost', { server: true });
    ca = pki.path('ca.pem');
    const https = {
      listeners: 'https://127.0.0.1:0',
      'ssl.keystore.location': await pki.pkcs12Keystore('server', HTTPS_KEYSTORE_PASSWORD),
      'ssl.keystore.password': HTTPS_KEYSTORE_PASSWORD,
    };
    const logger = createLogger('trace', { write: (line: string) => void lines.push(line) });
    await expect(startProxy(configWith(WRONG_SASL_PASSWORD, https), logger)).rejects.toThrow(/authentication failed/);
    proxy = await startProxy(configWith(SASL_PASSWORD, https), logger);
    baseUrl = proxy.urls[0]!;
  });
  afterAll(() => proxy?.stop());

  it('at trace level, through a failed and a good start over SASL_SSL, HTTPS and Basic-authenticated requests', async () => {
    const caPem = readFileSync(ca, 'utf8');
    const topic = uniqueTopic('secrets');
    const ok = await httpsCall(`${baseUrl}/upstash/produce/${topic}`, { method: 'POST', body: '{"value":"x"}', headers: { authorization: basic(USERS.admin) }, ca: caPem });
    expect(ok.status).toBe(200);
    const denied = await httpsCall(`${baseUrl}/upstash/topics`, { headers: { authorization: basic({ username: 'admin', password: 'producer-secret' }) }, ca: caPem });
    expect(denied.status).toBe(401);
    await httpsCall(`${baseUrl}/upstash/webhook?topic=${topic}&user=producer&pass=producer-secret`, { method: 'POST', body: '{}', ca: caPem });
    await proxy.stop();

    const log = lines.join('');
    // The capture really holds the startup configuration, kafkajs's own lines and the request lines.
    expect(log).toContain('starting with this configuration');
    expect(log).toContain('"password":"[redacted]"');
    expect(log).toContain('"component":"kafkajs"');
    expect(log).toContain('SASL PLAIN authentication failed');
    expect(log).toMatch(/"status":200.*"msg":"request"/);
    const secrets = [
      SASL_PASSWORD,
      WRONG_SASL_PASSWORD,
      STORE_PASSWORD,
      HTTPS_KEYSTORE_PASSWORD,
      'PlainLoginModule',
      USERS.admin.password,
      USERS.producer.password,
      basic(USERS.admin).slice('Basic '.length),
      'PRIVATE KEY',
    ];
    for (const secret of secrets) expect(log, `log contains ${secret}`).not.toContain(secret);
  });
});
