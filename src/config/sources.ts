/**
 * Where settings come from, lowest first: defaults → a properties file → the environment (`KAFKA_REST_*` only) →
 * command-line flags. Each layer remembers how the user spelled each key, so messages can name it
 * (`KAFKA_REST_LOG_LEVEL`, `--log.level`, `log.level` in a file).
 */
import { readFileSync } from 'node:fs';
import { getProperties } from 'properties-file';
import { ConfigError } from './config-error.js';

export interface SettingsLayer {
  /** `environment`, `file ./kafka-rest.properties`, `command line`. */
  readonly source: string;
  /** Property name → text. */
  readonly values: Readonly<Record<string, string>>;
  /** Property name → how it was written there (`KAFKA_REST_LOG_LEVEL`, `--log.level`, `log.level`). */
  readonly spelled: Readonly<Record<string, string>>;
}

const ENV_PREFIX = 'KAFKA_REST_';

/** `KAFKA_REST_BOOTSTRAP_SERVERS` → `bootstrap.servers`; `__` → `_` and `___` → `-`, as in Confluent's images. */
export function envKeyToProperty(envKey: string): string | undefined {
  if (!envKey.startsWith(ENV_PREFIX)) return undefined;
  return envKey
    .slice(ENV_PREFIX.length)
    .toLowerCase()
    .replace(/___/g, '\u0001')
    .replace(/__/g, '\u0002')
    .replace(/_/g, '.')
    .replace(/\u0001/g, '-')
    .replace(/\u0002/g, '_');
}

/** `bootstrap.servers` → `KAFKA_REST_BOOTSTRAP_SERVERS`, the inverse of envKeyToProperty. */
export function propertyToEnvKey(property: string): string {
  return ENV_PREFIX + property.replace(/_/g, '__').replace(/-/g, '___').replace(/\./g, '_').toUpperCase();
}

/** The `KAFKA_REST_*` variables; the rest of the environment is none of the proxy's business. */
export function environmentLayer(env: NodeJS.ProcessEnv): SettingsLayer {
  const values: Record<string, string> = {};
  const spelled: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const property = envKeyToProperty(name);
    if (property === undefined || value === undefined) continue;
    values[property] = value;
    spelled[property] = name;
  }
  return { source: 'environment', values, spelled };
}

export interface Arguments {
  readonly flags: SettingsLayer;
  /** The bare argument: a properties file, as Confluent's `kafka-rest-start` takes it. */
  readonly file?: string;
}

/** `--bootstrap.servers=host:9092`, `--listeners http://0.0.0.0:8082`; a bare argument names a properties file. */
export function argumentsLayer(argv: readonly string[]): Arguments {
  const values: Record<string, string> = {};
  const spelled: Record<string, string> = {};
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('-') || arg === '-') {
      if (file !== undefined) throw new ConfigError(`only one properties file can be given, got ${file} and ${arg}`);
      file = arg;
      continue;
    }
    if (!arg.startsWith('--')) throw new ConfigError(`unknown option ${arg}: settings are given as --<setting>=<value> (see --help)`);
    const eq = arg.indexOf('=');
    let key: string;
    if (eq > 0) {
      key = arg.slice(2, eq);
      values[key] = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new ConfigError(`flag ${arg} needs a value: --${arg.slice(2)}=<value>`);
      key = arg.slice(2);
      values[key] = next;
      i++;
    }
    spelled[key] = `--${key}`;
  }
  const flags = { source: 'command line', values, spelled };
  return file === undefined ? { flags } : { flags, file };
}

export function propertiesFileLayer(path: string): SettingsLayer {
  let values: Record<string, string>;
  try {
    values = getProperties(readFileSync(path));
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  return { source: `file ${path}`, values, spelled: Object.fromEntries(Object.keys(values).map((key) => [key, key])) };
}

/** Where a key's value came from, for messages: `environment KAFKA_REST_LOG_LEVEL`, `flag --log.level`, … */
export function originOf(key: string, layers: readonly SettingsLayer[]): string {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    if (!Object.hasOwn(layer.values, key)) continue;
    if (layer.source === 'environment') return `environment ${layer.spelled[key]}`;
    if (layer.source === 'command line') return `flag ${layer.spelled[key]}`;
    return layer.source;
  }
  return 'default';
}
