/** `kafka-rest-ts --help`: the commands, then every setting from the settings table (name, environment, default). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS } from '../config/settings.js';
import type { Setting } from '../config/settings.js';
import { allowedNote, shownDefault } from '../config/setting-text.js';
import { propertyToEnvKey } from '../config/sources.js';
import { cacheDir, PROJECT_ROOT } from '../project-paths.js';

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

function settingLines(key: string, setting: Setting): string {
  return `  ${key.padEnd(44)}  ${propertyToEnvKey(key)}  [default: ${shownDefault(setting)}]\n      ${setting.doc}${allowedNote(setting)}\n`;
}

export function renderHelp(): string {
  const settings = Object.entries(SETTINGS).map(([key, setting]) => settingLines(key, setting as Setting));
  return `kafka-rest-ts ${packageVersion()}: a Kafka REST proxy (Confluent REST Proxy v2 and v3, Upstash Kafka REST)

Usage:
  kafka-rest-ts [kafka-rest.properties] [--<setting>=<value> ...]   serve; with no bootstrap.servers, on a local Kafka
  kafka-rest-ts hash-password      read a password on stdin, print its scrypt hash for the auth.file users file
  kafka-rest-ts --help | --version

Each source overrides the ones before it: defaults, a properties file (the bare argument, --config.file or
KAFKA_REST_CONFIG_FILE), the environment (KAFKA_REST_ + the name in upper case, '.' as '_'), --<setting> flags.
The local Kafka broker needs Java 17 and Maven; its jars are fetched once into ${join(cacheDir(), 'kafka')}.
SIGTERM or SIGINT stops the server gracefully; SIGHUP re-reads auth.file.

Settings:
${settings.join('')}`;
}
