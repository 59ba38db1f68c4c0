/**
 * What the proxy runs with: every setting parsed by its table entry, then the ones that only make sense together
 * (listeners and their TLS, bootstrap servers and the Kafka security protocol) checked against each other.
 */
import { ConfigError } from './config-error.js';
import type { Fail } from './config-error.js';
import { corsConfig } from './cors-settings.js';
import type { CorsConfig } from './cors-settings.js';
import { deploymentConfig } from './deployment-settings.js';
import type { DeploymentConfig } from './deployment-settings.js';
import { InvalidValue } from './parsers.js';
import { schemaRegistry } from './schema-registry-settings.js';
import type { SchemaRegistrySettings } from './schema-registry-settings.js';
import { kafkaSecurity, listenerTls, resolveBootstrap } from './security.js';
import type { KafkaSecurityConfig, ListenerTlsConfig } from './security.js';
import { SETTING_KEYS, settingOf } from './settings.js';
import type { SettingFields, SettingKey, SettingValues } from './settings.js';

export interface ProxyConfig extends SettingFields {
  /** Empty: no cluster configured, so `npm start` runs a local broker. */
  readonly bootstrapServers: readonly string[];
  /** Set when `ssl.keystore.location` is: needed by https:// listeners. */
  readonly tls?: ListenerTlsConfig;
  readonly kafkaSecurity: KafkaSecurityConfig;
  /** Unset: the schema formats answer 422/42206 naming `schema.registry.url`. */
  readonly schemaRegistry?: SchemaRegistrySettings;
  /** Set when `access.control.allow.origin` is. */
  readonly cors?: CorsConfig;
  /** How this node finds the other nodes of its deployment (docs/scaling.md). */
  readonly deployment: DeploymentConfig;
}

/** Where each key's value came from (`environment KAFKA_REST_LOG_LEVEL`), for messages; unknown: not said. */
export type OriginOf = (key: string) => string | undefined;

function parseValues(raw: Readonly<Record<string, string>>, fail: Fail): SettingValues {
  const values: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const setting = settingOf(key);
    try {
      values[key] = setting.parser.parse(raw[key] ?? setting.default);
    } catch (error) {
      if (error instanceof InvalidValue) fail(key, error.message);
      throw error;
    }
  }
  return values as SettingValues;
}

function settingFields(values: SettingValues): SettingFields {
  const fields: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const field = settingOf(key).field;
    if (field !== undefined) fields[field] = values[key as SettingKey];
  }
  return fields as unknown as SettingFields;
}

/** `raw` holds the text of every setting that is set (missing ones take their default). */
export function toProxyConfig(raw: Readonly<Record<string, string>>, originOf: OriginOf = () => undefined): ProxyConfig {
  const fail: Fail = (setting, problem) => {
    throw new ConfigError(problem, setting, originOf(setting));
  };
  const values = parseValues(raw, fail);
  const fields = settingFields(values);
  const bootstrap = resolveBootstrap(values, fail);
  const tls = listenerTls(values, fields.listeners, fail);
  const registry = schemaRegistry(values, fail);
  const cors = corsConfig(values);
  return {
    ...fields,
    bootstrapServers: bootstrap.addresses,
    kafkaSecurity: kafkaSecurity(values, bootstrap, fail),
    deployment: deploymentConfig(values),
    ...(tls ? { tls } : {}),
    ...(registry ? { schemaRegistry: registry } : {}),
    ...(cors ? { cors } : {}),
  };
}
