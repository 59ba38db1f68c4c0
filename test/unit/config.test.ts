import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, envKeyToProperty, fromArguments, loadConfig, parseListener } from '../../src/config/config.js';

describe('configuration', () => {
  it('maps KAFKA_REST_* names to property names as Confluent images do', () => {
    expect(envKeyToProperty('KAFKA_REST_BOOTSTRAP_SERVERS')).toBe('bootstrap.servers');
    expect(envKeyToProperty('KAFKA_REST_ADVERTISED_LISTENERS')).toBe('advertised.listeners');
    expect(envKeyToProperty('KAFKA_REST_CLIENT_SASL__MECHANISM')).toBe('client.sasl_mechanism');
    expect(envKeyToProperty('KAFKA_REST_A___B')).toBe('a-b');
    expect(envKeyToProperty('PATH')).toBeUndefined();
  });

  it('has the documented defaults', () => {
    const config = loadConfig([], {});
    expect(config.bootstrapServers).toEqual([]);
    expect(config.listeners).toEqual([{ protocol: 'http', host: '0.0.0.0', port: 8082 }]);
    expect(config.advertisedListeners).toEqual([]);
    expect(config.upstashPrefix).toBe('/upstash');
  });

  it('layers defaults < file < environment < flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-test-'));
    const file = join(dir, 'kafka-rest.properties');
    writeFileSync(file, '# a comment\nbootstrap.servers=file:9092\nid=from-file\nlisteners=http://127.0.0.1:9000\n');
    const env = { KAFKA_REST_ID: 'from-env', KAFKA_REST_LISTENERS: 'http://127.0.0.1:9001' };
    const config = loadConfig([file, '--listeners=http://127.0.0.1:9002'], env);
    expect(config.bootstrapServers).toEqual(['file:9092']);
    expect(config.id).toBe('from-env');
    expect(config.listeners[0]?.port).toBe(9002);
  });

  it('reads the file named by KAFKA_REST_CONFIG_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-test-'));
    const file = join(dir, 'p.properties');
    writeFileSync(file, 'bootstrap.servers = a:1, b:2\n');
    expect(loadConfig([], { KAFKA_REST_CONFIG_FILE: file }).bootstrapServers).toEqual(['a:1', 'b:2']);
  });

  it('accepts flags as --key=value and --key value', () => {
    expect(fromArguments(['--id', 'x', '--listeners=http://h:1'])).toEqual({ flags: { id: 'x', listeners: 'http://h:1' } });
    expect(() => fromArguments(['--id'])).toThrow(ConfigError);
  });

  it('rejects bad values with a message naming the key', () => {
    expect(() => parseListener('not a url')).toThrow(/not a URL/);
    expect(() => parseListener('ftp://0.0.0.0:1')).toThrow(/only http/);
    expect(() => loadConfig([], { KAFKA_REST_SHUTDOWN_GRACEFUL_MS: '-1' })).toThrow(/shutdown.graceful.ms/);
    expect(() => loadConfig([], { KAFKA_REST_UPSTASH_PREFIX: 'no-slash' })).toThrow(/upstash.prefix/);
    expect(() => loadConfig(['/no/such/file.properties'], {})).toThrow(/cannot read config file/);
  });

  it("takes Confluent's PLAINTEXT://host:port in bootstrap.servers, and refuses TLS/SASL ones it cannot honour", () => {
    expect(loadConfig([], { KAFKA_REST_BOOTSTRAP_SERVERS: 'PLAINTEXT://k1:9092, k2:9093' }).bootstrapServers).toEqual(['k1:9092', 'k2:9093']);
    expect(() => loadConfig([], { KAFKA_REST_BOOTSTRAP_SERVERS: 'SASL_SSL://k1:9093' })).toThrow(/SASL_SSL connections to Kafka are not supported yet/);
    expect(loadConfig([], { KAFKA_REST_API_V3_PRODUCE_BATCH_MAXIMUM_ENTRIES: '25' }).v3ProduceBatchMaxEntries).toBe(25);
  });

  it('parses IPv6 listeners and normalises advertised listeners', () => {
    expect(parseListener('http://[::1]:8082')).toEqual({ protocol: 'http', host: '::1', port: 8082 });
    expect(loadConfig([], { KAFKA_REST_ADVERTISED_LISTENERS: 'http://proxy.example.com:80/' }).advertisedListeners).toEqual([
      'http://proxy.example.com',
    ]);
  });
});
