import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, CORS_DEFAULT_HEADERS, CORS_DEFAULT_METHODS, envKeyToProperty, loadConfig, parseListener } from '../../src/config/config.js';
import { argumentsLayer } from '../../src/config/sources.js';

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
    expect(argumentsLayer(['--id', 'x', '--listeners=http://h:1']).flags.values).toEqual({ id: 'x', listeners: 'http://h:1' });
    expect(() => argumentsLayer(['--id'])).toThrow(ConfigError);
  });

  it('rejects bad values with a message naming the key', () => {
    expect(() => parseListener('not a url')).toThrow(/not a URL/);
    expect(() => parseListener('ftp://0.0.0.0:1')).toThrow(/only http/);
    expect(() => loadConfig([], { KAFKA_REST_SHUTDOWN_GRACEFUL_MS: '-1' })).toThrow(/shutdown.graceful.ms/);
    expect(() => loadConfig([], { KAFKA_REST_UPSTASH_PREFIX: 'no-slash' })).toThrow(/upstash.prefix/);
    expect(() => loadConfig(['/no/such/file.properties'], {})).toThrow(/cannot read config file/);
  });

  it("takes Confluent's PROTOCOL://host:port in bootstrap.servers when it agrees with client.security.protocol", () => {
    expect(loadConfig([], { KAFKA_REST_BOOTSTRAP_SERVERS: 'PLAINTEXT://k1:9092, k2:9093' }).bootstrapServers).toEqual(['k1:9092', 'k2:9093']);
    expect(loadConfig([], { KAFKA_REST_BOOTSTRAP_SERVERS: 'k1:9092' }).kafkaSecurity).toEqual({ protocol: 'PLAINTEXT' });
    // Without client.security.protocol the prefix names the protocol.
    expect(loadConfig([], { KAFKA_REST_BOOTSTRAP_SERVERS: 'SSL://k1:9093' }).kafkaSecurity).toEqual({ protocol: 'SSL', ssl: { verifyHostname: true } });
    expect(() => loadConfig([], { KAFKA_REST_BOOTSTRAP_SERVERS: 'SSL://k1:9093', KAFKA_REST_CLIENT_SECURITY_PROTOCOL: 'SASL_SSL' })).toThrow(
      /names SSL:\/\/ but the connection to Kafka uses SASL_SSL/,
    );
    expect(() => loadConfig([], { KAFKA_REST_BOOTSTRAP_SERVERS: 'SASL_SSL://k1:9093' })).toThrow(/SASL_SSL needs client.sasl.jaas.config/);
    expect(() => loadConfig([], { KAFKA_REST_BOOTSTRAP_SERVERS: 'GOPHER://k1:9093' })).toThrow(/unknown protocol GOPHER/);
    expect(loadConfig([], { KAFKA_REST_API_V3_PRODUCE_BATCH_MAXIMUM_ENTRIES: '25' }).v3ProduceBatchMaxEntries).toBe(25);
  });

  it('reads SASL and SSL settings for Kafka from KAFKA_REST_CLIENT_*, and never quotes the JAAS config in an error', () => {
    const env = {
      KAFKA_REST_BOOTSTRAP_SERVERS: 'k1:9093',
      KAFKA_REST_CLIENT_SECURITY_PROTOCOL: 'sasl_ssl',
      KAFKA_REST_CLIENT_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_REST_CLIENT_SASL_JAAS_CONFIG: 'org.apache.kafka.common.security.scram.ScramLoginModule required username="svc" password="p\\"w;d";',
      KAFKA_REST_CLIENT_SSL_TRUSTSTORE_LOCATION: '/etc/ts.pem',
      KAFKA_REST_CLIENT_SSL_TRUSTSTORE_TYPE: 'pem',
      KAFKA_REST_CLIENT_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM: '',
    };
    expect(loadConfig([], env).kafkaSecurity).toEqual({
      protocol: 'SASL_SSL',
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'svc', password: 'p"w;d' },
      ssl: { verifyHostname: false, truststore: { location: '/etc/ts.pem', password: '', type: 'PEM' } },
    });
    const plain = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="svc" password="hunter2";';
    expect(() => loadConfig([], { ...env, KAFKA_REST_CLIENT_SASL_JAAS_CONFIG: plain })).toThrow(/SCRAM-SHA-512 needs .*ScramLoginModule/);
    expect(() => loadConfig([], { ...env, KAFKA_REST_CLIENT_SASL_JAAS_CONFIG: 'password="hunter2"' })).toThrow(/must look like/);
    try {
      loadConfig([], { ...env, KAFKA_REST_CLIENT_SASL_JAAS_CONFIG: plain });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
    expect(() => loadConfig([], { ...env, KAFKA_REST_CLIENT_SASL_MECHANISM: 'GSSAPI' })).toThrow(/client.sasl.mechanism \(environment KAFKA_REST_CLIENT_SASL_MECHANISM\): must be one of PLAIN/);
  });

  it('takes https:// listeners with ssl.keystore.*, refuses them without a keystore, and refuses JKS', () => {
    const https = { KAFKA_REST_LISTENERS: 'https://0.0.0.0:8443', KAFKA_REST_SSL_KEYSTORE_LOCATION: '/etc/ks.p12', KAFKA_REST_SSL_KEYSTORE_PASSWORD: 'pw' };
    const config = loadConfig([], https);
    expect(config.listeners).toEqual([{ protocol: 'https', host: '0.0.0.0', port: 8443 }]);
    expect(config.tls).toEqual({ keystore: { location: '/etc/ks.p12', password: 'pw', keyPassword: '', type: 'PKCS12' }, clientAuthentication: 'NONE' });
    expect(() => loadConfig([], { KAFKA_REST_LISTENERS: 'https://0.0.0.0:8443' })).toThrow(/https:\/\/ listener needs ssl.keystore.location/);
    expect(() => loadConfig([], { ...https, KAFKA_REST_SSL_KEYSTORE_TYPE: 'JKS' })).toThrow(/ssl.keystore.type \(environment KAFKA_REST_SSL_KEYSTORE_TYPE\): JKS is not supported/);
    expect(() => loadConfig([], { ...https, KAFKA_REST_SSL_CLIENT_AUTHENTICATION: 'REQUIRED' })).toThrow(/needs ssl.truststore.location/);
    expect(loadConfig([], { ...https, KAFKA_REST_SSL_CLIENT_AUTHENTICATION: 'requested', KAFKA_REST_SSL_TRUSTSTORE_LOCATION: '/ca.pem', KAFKA_REST_SSL_TRUSTSTORE_TYPE: 'PEM' }).tls).toMatchObject({
      clientAuthentication: 'REQUESTED',
      truststore: { location: '/ca.pem', type: 'PEM' },
    });
    expect(() => loadConfig([], { KAFKA_REST_LISTENERS: 'ftp://0.0.0.0:21' })).toThrow(/only http:\/\/ and https:\/\//);
  });

  it('parses IPv6 listeners and normalises advertised listeners', () => {
    expect(parseListener('http://[::1]:8082')).toEqual({ protocol: 'http', host: '::1', port: 8082 });
    expect(loadConfig([], { KAFKA_REST_ADVERTISED_LISTENERS: 'http://proxy.example.com:80/' }).advertisedListeners).toEqual([
      'http://proxy.example.com',
    ]);
  });

  it("reads the Schema Registry settings by Confluent's names, with Basic auth from the URL or from user.info", () => {
    expect(loadConfig([], {}).schemaRegistry).toBeUndefined();
    const fromUrl = loadConfig([], { KAFKA_REST_SCHEMA_REGISTRY_URL: 'http://svc:s%40cret@sr1:8081/, http://sr2:8081' }).schemaRegistry;
    expect(fromUrl).toEqual({ urls: ['http://sr1:8081', 'http://sr2:8081'], basicAuth: { username: 'svc', password: 's@cret' }, ssl: { verifyHostname: true } });
    const userInfo = loadConfig([], {
      KAFKA_REST_SCHEMA_REGISTRY_URL: 'https://sr:8081/apis/ccompat/v7',
      KAFKA_REST_SCHEMA_REGISTRY_BASIC_AUTH_CREDENTIALS_SOURCE: 'USER_INFO',
      KAFKA_REST_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'u:p:w',
      KAFKA_REST_SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION: '/ca.pem',
      KAFKA_REST_SCHEMA_REGISTRY_SSL_TRUSTSTORE_TYPE: 'PEM',
      KAFKA_REST_SCHEMA_REGISTRY_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM: '',
    }).schemaRegistry;
    expect(userInfo).toEqual({
      urls: ['https://sr:8081/apis/ccompat/v7'],
      basicAuth: { username: 'u', password: 'p:w' },
      ssl: { verifyHostname: false, truststore: { location: '/ca.pem', password: '', type: 'PEM' } },
    });
    expect(() => loadConfig([], { KAFKA_REST_SCHEMA_REGISTRY_URL: 'sr:8081' })).toThrow(/^schema.registry.url \(environment KAFKA_REST_SCHEMA_REGISTRY_URL\): must be an http:\/\/ or https:\/\/ URL$/);
    expect(() => loadConfig([], { KAFKA_REST_SCHEMA_REGISTRY_URL: 'http://sr:8081', KAFKA_REST_SCHEMA_REGISTRY_BASIC_AUTH_CREDENTIALS_SOURCE: 'USER_INFO' })).toThrow(
      /^schema.registry.basic.auth.credentials.source \(environment KAFKA_REST_SCHEMA_REGISTRY_BASIC_AUTH_CREDENTIALS_SOURCE\): USER_INFO needs schema.registry.basic.auth.user.info=<user>:<password>$/,
    );
    expect(() => loadConfig([], { KAFKA_REST_SCHEMA_REGISTRY_URL: 'http://sr:8081', KAFKA_REST_SCHEMA_REGISTRY_BASIC_AUTH_CREDENTIALS_SOURCE: 'SASL_INHERIT' })).toThrow(
      /^schema.registry.basic.auth.credentials.source \(environment KAFKA_REST_SCHEMA_REGISTRY_BASIC_AUTH_CREDENTIALS_SOURCE\): must be one of URL, USER_INFO, got 'SASL_INHERIT'$/,
    );
  });

  describe('CORS (access.control.allow.*)', () => {
    it('is off by default', () => {
      expect(loadConfig([], {}).cors).toBeUndefined();
    });

    it('takes * or a comma list of origins, with default methods and headers', () => {
      expect(loadConfig([], { KAFKA_REST_ACCESS_CONTROL_ALLOW_ORIGIN: '*' }).cors).toEqual({ allowOrigins: ['*'], allowMethods: CORS_DEFAULT_METHODS, allowHeaders: CORS_DEFAULT_HEADERS });
      const cors = loadConfig(['--access.control.allow.origin=https://a.example.com, http://localhost:3000', '--access.control.allow.methods=get,post', '--access.control.allow.headers=Content-Type'], {}).cors;
      expect(cors).toEqual({ allowOrigins: ['https://a.example.com', 'http://localhost:3000'], allowMethods: ['GET', 'POST'], allowHeaders: ['Content-Type'] });
    });

    it('refuses what is not an origin, and names that are not tokens, naming the setting and its source', () => {
      expect(() => loadConfig(['--access.control.allow.origin=a.example.com'], {})).toThrow(
        /^access.control.allow.origin \(flag --access.control.allow.origin\): 'a.example.com' is not an origin like https:\/\/app.example.com \(or \*\)$/,
      );
      expect(() => loadConfig(['--access.control.allow.origin=https://a.example.com/path'], {})).toThrow(ConfigError);
      expect(() => loadConfig([], { KAFKA_REST_ACCESS_CONTROL_ALLOW_ORIGIN: '*', KAFKA_REST_ACCESS_CONTROL_ALLOW_METHODS: 'GET,P O' })).toThrow(
        /^access.control.allow.methods \(environment KAFKA_REST_ACCESS_CONTROL_ALLOW_METHODS\): 'P O' is not a method or header name$/,
      );
    });
  });
});
