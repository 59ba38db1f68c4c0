import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { FreshRead } from '../../src/core/fresh-read.js';
import { internalUrl } from '../../src/server/internal-url.js';

describe('deployment settings', () => {
  it('default: enabled, one deployment per cluster, a 10 s node session, derived URL and secret', () => {
    expect(loadConfig([], {}).deployment).toEqual({ enabled: true, name: 'kafka-rest', sessionTimeoutMs: 10_000, internalUrl: '', internalSecret: '' });
  });

  it('are read from the environment and flags, as every setting', () => {
    const config = loadConfig(['--internal.url=http://10.1.2.3:8082/'], {
      KAFKA_REST_DEPLOYMENT_NAME: 'prod-eu',
      KAFKA_REST_DEPLOYMENT_ENABLE: 'false',
      KAFKA_REST_DEPLOYMENT_SESSION_TIMEOUT_MS: '20000',
      KAFKA_REST_INTERNAL_SECRET: 'x',
      KAFKA_REST_ID: 'node-7',
    });
    expect(config.deployment).toEqual({ enabled: false, name: 'prod-eu', sessionTimeoutMs: 20_000, internalUrl: 'http://10.1.2.3:8082', internalSecret: 'x' });
    expect(config.id).toBe('node-7');
  });

  it('a bad value is one message naming the setting', () => {
    const bad = (env: Record<string, string>): void => void loadConfig([], env);
    expect(() => bad({ KAFKA_REST_DEPLOYMENT_NAME: 'a b' })).toThrow(
      "deployment.name (environment KAFKA_REST_DEPLOYMENT_NAME): must be 1 to 200 of the characters a-z A-Z 0-9 . _ -, got 'a b'",
    );
    expect(() => bad({ KAFKA_REST_DEPLOYMENT_SESSION_TIMEOUT_MS: '1000' })).toThrow(/^deployment.session.timeout.ms .*: must be at least 6000/);
    expect(() => bad({ KAFKA_REST_DEPLOYMENT_ENABLE: 'yes' })).toThrow(/^deployment.enable .*: must be one of true, false, got 'yes'/);
    expect(() => bad({ KAFKA_REST_INTERNAL_URL: 'http://h:1/path' })).toThrow(/^internal.url .*: must be an http:\/\/ or https:\/\/ URL without a path/);
    expect(() => bad({ KAFKA_REST_INTERNAL_URL: 'tcp://h:1' })).toThrow(/^internal.url/);
  });

  it('the internal URL: the setting, else the first bound listener, with a wildcard host replaced by an address of this machine', () => {
    expect(internalUrl('http://node-1.internal:8082', ['http://0.0.0.0:8082'])).toBe('http://node-1.internal:8082');
    expect(internalUrl('', ['http://127.0.0.1:40000', 'https://127.0.0.1:40001'])).toBe('http://127.0.0.1:40000');
    const derived = new URL(internalUrl('', ['http://0.0.0.0:8082']));
    expect(derived.port).toBe('8082');
    expect(derived.hostname).not.toBe('0.0.0.0');
  });
});

describe('a fresh read', () => {
  it('callers arriving while a read is out share the next one, started after it', async () => {
    const started: number[] = [];
    let count = 0;
    const release: (() => void)[] = [];
    const fresh = new FreshRead(async () => {
      const n = ++count;
      started.push(n);
      await new Promise<void>((resolve) => release.push(resolve));
      return n;
    });
    const first = fresh.get();
    const second = fresh.get();
    const third = fresh.get();
    expect(started).toEqual([1]);
    release.shift()!();
    expect(await first).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([1, 2]);
    release.shift()!();
    expect([await second, await third]).toEqual([2, 2]);
  });
});
