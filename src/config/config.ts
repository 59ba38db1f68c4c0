/**
 * The proxy's configuration, layered: defaults → optional properties file → environment (`KAFKA_REST_*`) →
 * command-line flags. Keys are the property names Confluent users know (`bootstrap.servers`, `listeners`, ...);
 * the settings themselves are in settings.ts. Re-exports what the rest of the code imports from here.
 */
import { toProxyConfig } from './proxy-config.js';
import type { ProxyConfig } from './proxy-config.js';
import { checkKeys } from './settings-check.js';
import type { SettingsNotice } from './settings-check.js';
import { DEFAULTS, SETTING_KEYS } from './settings.js';
import { argumentsLayer, environmentLayer, originOf, propertiesFileLayer } from './sources.js';
import type { SettingsLayer } from './sources.js';

export { ConfigError } from './config-error.js';
export { DEFAULTS, SETTINGS } from './settings.js';
export type { LogFormat, LogLevel } from './settings.js';
export { parseListener } from './listeners.js';
export type { Listener } from './listeners.js';
export { parseJaasConfig } from './security.js';
export type { ClientAuthentication, KafkaSecurityConfig, ListenerTlsConfig, SaslMechanism, SecurityProtocol } from './security.js';
export { toProxyConfig } from './proxy-config.js';
export type { ProxyConfig } from './proxy-config.js';
export type { SchemaRegistrySettings } from './schema-registry-settings.js';
export { CORS_DEFAULT_HEADERS, CORS_DEFAULT_METHODS } from './cors-settings.js';
export type { CorsConfig } from './cors-settings.js';
export { envKeyToProperty, propertyToEnvKey } from './sources.js';
export type { SettingsNotice } from './settings-check.js';

export interface LoadedSettings {
  readonly config: ProxyConfig;
  /** Unknown keys (warnings) and ignored Confluent keys (info), to log once the logger exists. */
  readonly notices: readonly SettingsNotice[];
}

/** The file is named by a bare argument, `--config.file`, or `KAFKA_REST_CONFIG_FILE`, in that order. */
function layersOf(argv: readonly string[], env: NodeJS.ProcessEnv): SettingsLayer[] {
  const { flags, file } = argumentsLayer(argv);
  const environment = environmentLayer(env);
  const path = file ?? flags.values['config.file'] ?? environment.values['config.file'];
  return path ? [propertiesFileLayer(path), environment, flags] : [environment, flags];
}

/** Throws ConfigError (one line naming the setting and where it came from) when a value is not allowed. */
export function loadSettings(argv: readonly string[], env: NodeJS.ProcessEnv): LoadedSettings {
  const layers = layersOf(argv, env);
  const notices = checkKeys(layers, SETTING_KEYS);
  const raw = Object.assign({}, DEFAULTS, ...layers.map((layer) => layer.values)) as Record<string, string>;
  const config = toProxyConfig(raw, (key) => originOf(key, layers));
  return { config, notices };
}

export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ProxyConfig {
  return loadSettings(argv, env).config;
}
