/** The settings table and the checks made on what users give: unknown keys, ignored Confluent keys, bad values. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHelp } from '../../src/cli/help.js';
import { ConfigError, DEFAULTS, loadSettings, SETTINGS, toProxyConfig } from '../../src/config/config.js';
import { nearestKey } from '../../src/config/settings-check.js';
import { envKeyToProperty, propertyToEnvKey } from '../../src/config/sources.js';

function propertiesFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'settings-test-')), 'kafka-rest.properties');
  writeFileSync(file, text);
  return file;
}

function configErrorOf(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('no ConfigError');
}

describe('the settings table', () => {
  it('parses every default, and derives an environment name that maps back to the setting', () => {
    expect(() => toProxyConfig(DEFAULTS)).not.toThrow();
    for (const key of Object.keys(SETTINGS)) expect(envKeyToProperty(propertyToEnvKey(key))).toBe(key);
    expect(propertyToEnvKey('consumer.request.max.wait.ms')).toBe('KAFKA_REST_CONSUMER_REQUEST_MAX_WAIT_MS');
  });

  it('is what --help lists: every setting with its environment variable and default', () => {
    const help = renderHelp();
    for (const [key, setting] of Object.entries(SETTINGS)) {
      const line = help.split('\n').find((l) => l.trimStart().startsWith(`${key} `));
      expect(line, key).toContain(propertyToEnvKey(key));
      expect(line, key).toContain(`[default: ${setting.defaultText ?? (setting.default || '(none)')}]`);
    }
    expect(help).toContain('kafka-rest-ts hash-password');
  });
});

describe('unknown keys', () => {
  it('warns about a misspelled environment variable, naming the setting meant', () => {
    const { notices, config } = loadSettings([], { KAFKA_REST_LISTENRS: 'http://0.0.0.0:1' });
    expect(notices).toEqual([{ level: 'warn', message: 'unknown setting KAFKA_REST_LISTENRS (environment) — did you mean listeners?' }]);
    expect(config.listeners).toEqual([{ protocol: 'http', host: '0.0.0.0', port: 8082 }]);
  });

  it('reads only KAFKA_REST_* variables from the environment', () => {
    expect(loadSettings([], { PATH: '/bin', HOME: '/root', KAFKA_HEAP_OPTS: '-Xmx1g' }).notices).toEqual([]);
  });

  it('names the file or the flag, once per source, and suggests only near misses', () => {
    const file = propertiesFile('bootstrap.server=k:9092\nlisteners=http://0.0.0.0:9000\ntotally.unrelated=1\n');
    const { notices } = loadSettings([file, '--log.levl=debug'], { KAFKA_REST_BOOTSTRAP_SERVER: 'k:9092' });
    expect(notices.map((n) => n.message)).toEqual([
      `unknown setting bootstrap.server (file ${file}) — did you mean bootstrap.servers?`,
      `unknown setting totally.unrelated (file ${file}), ignored (kafka-rest-ts --help lists the settings)`,
      'unknown setting KAFKA_REST_BOOTSTRAP_SERVER (environment) — did you mean bootstrap.servers?',
      'unknown setting --log.levl (command line) — did you mean log.level?',
    ]);
    expect(notices.every((n) => n.level === 'warn')).toBe(true);
  });

  it("lists Confluent's settings it knowingly ignores at info, with why", () => {
    const file = propertiesFile('schema.registry.auto.register.schemas=true\nproducer.acks=1\nconsumer.threads=4\n');
    const { notices } = loadSettings([file], { KAFKA_REST_HEAP_OPTS: '-Xmx1g', KAFKA_REST_HOST_NAME: 'rest' });
    expect(notices).toHaveLength(5);
    expect(notices.every((n) => n.level === 'info' && n.message.startsWith('ignoring Confluent setting '))).toBe(true);
    expect(notices.map((n) => n.message)).toContain(
      `ignoring Confluent setting producer.acks (file ${file}): Java producer settings are not passed through (the proxy's producer is idempotent, acks=all)`,
    );
    expect(notices.map((n) => n.message)).toContain('ignoring Confluent setting KAFKA_REST_HOST_NAME (environment): use listeners and advertised.listeners');
  });

  it('still warns about a near miss of one of its own settings under a Confluent pass-through prefix', () => {
    const { notices } = loadSettings([], { KAFKA_REST_CONSUMER_INSTANCE_TIMEOUT: '1000' });
    expect(notices).toEqual([
      { level: 'warn', message: 'unknown setting KAFKA_REST_CONSUMER_INSTANCE_TIMEOUT (environment) — did you mean consumer.instance.timeout.ms?' },
    ]);
  });

  it('suggests nothing for keys far from every setting', () => {
    expect(nearestKey('listenrs', Object.keys(SETTINGS))).toBe('listeners');
    expect(nearestKey('zookeeper.connect', Object.keys(SETTINGS))).toBeUndefined();
  });
});

describe('invalid values', () => {
  it('name the setting, where the value came from, and what is allowed', () => {
    expect(configErrorOf(() => loadSettings([], { KAFKA_REST_LOG_LEVEL: 'verbose' }))).toBe(
      "log.level (environment KAFKA_REST_LOG_LEVEL): must be one of trace, debug, info, warn, error, fatal, silent, got 'verbose'",
    );
    const file = propertiesFile('consumer.instances.max=many\n');
    expect(configErrorOf(() => loadSettings([file], {}))).toBe(`consumer.instances.max (file ${file}): must be a positive integer, got 'many'`);
    expect(configErrorOf(() => loadSettings(['--log.format=yaml'], {}))).toBe("log.format (flag --log.format): must be one of auto, text, json, got 'yaml'");
    expect(configErrorOf(() => loadSettings([], { KAFKA_REST_LISTENERS: 'https://0.0.0.0:8443' }))).toBe(
      'listeners (environment KAFKA_REST_LISTENERS): an https:// listener needs ssl.keystore.location (and ssl.keystore.password)',
    );
  });

  it('blame the layer that set the value last', () => {
    const file = propertiesFile('log.level=loud\n');
    expect(configErrorOf(() => loadSettings([file], {}))).toMatch(/^log.level \(file .*\): must be one of/);
    expect(loadSettings([file], { KAFKA_REST_LOG_LEVEL: 'WARN' }).config.logLevel).toBe('warn');
  });

  it('refuse options that are not settings, and a second properties file', () => {
    expect(configErrorOf(() => loadSettings(['-v'], {}))).toMatch(/unknown option -v/);
    expect(configErrorOf(() => loadSettings(['a.properties', 'b.properties'], {}))).toBe('only one properties file can be given, got a.properties and b.properties');
  });
});
