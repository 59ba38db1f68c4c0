/**
 * The Schema Registry of the avro, jsonschema and protobuf formats: its settings (Confluent's `schema.registry.*`
 * names, rows of the settings table) and the one value they make together.
 */
import type { Fail } from './config-error.js';
import type { KeyStoreConfig, TrustStoreConfig } from './key-stores.js';
import { InvalidValue, listOf, oneOf } from './parsers.js';
import type { Parser } from './parsers.js';
import { endpointIdentificationParser, keyStore, storeTypeParser, trustStore } from './security.js';
import { pathText, secretText, setting } from './setting.js';
import type { SettingValues } from './settings.js';

export interface SchemaRegistrySettings {
  /** Base URLs (Apicurio: `http://host:8080/apis/ccompat/v7`), tried in turn; no credentials in them. */
  readonly urls: readonly string[];
  readonly basicAuth?: { readonly username: string; readonly password: string };
  readonly ssl: {
    readonly truststore?: TrustStoreConfig;
    readonly keystore?: KeyStoreConfig;
    /** `schema.registry.ssl.endpoint.identification.algorithm`: `https` (default) checks the host name. */
    readonly verifyHostname: boolean;
  };
}

interface RegistryUrl {
  readonly url: string;
  /** `user:password` taken out of the URL's user-info, so that the URL can be logged. */
  readonly credentials?: string;
}

/** Never quotes the value: its user-info may hold a password. */
const registryUrl: Parser<RegistryUrl> = {
  allowed: 'an http:// or https:// URL',
  parse: (text) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new InvalidValue('is not a URL like http://localhost:8081');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidValue('must be an http:// or https:// URL');
    const credentials = url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined;
    url.username = '';
    url.password = '';
    const plain = url.toString().replace(/\/+$/, '');
    return credentials === undefined ? { url: plain } : { url: plain, credentials };
  },
};

export const SCHEMA_REGISTRY_SETTINGS = {
  'schema.registry.url': setting({
    default: '',
    doc: 'Schema Registry base URLs, tried in turn (Confluent-compatible API). Empty: the schema formats answer 422/42206.',
    details: 'Apicurio Registry serves the Confluent-compatible API under `/apis/ccompat/v7`. Basic-auth user-info in a URL is used with `schema.registry.basic.auth.credentials.source=URL` and never logged.',
    parser: listOf(registryUrl, 'comma-separated http(s) URLs'),
  }),
  'schema.registry.basic.auth.credentials.source': setting({
    default: 'URL',
    doc: "Where the registry's Basic-auth credentials come from: URL (the URL's user-info) or USER_INFO.",
    parser: oneOf(['URL', 'USER_INFO'] as const),
  }),
  'schema.registry.basic.auth.user.info': setting({ default: '', doc: '`user:password` for the registry, with credentials source USER_INFO.', parser: secretText }),
  'schema.registry.ssl.truststore.location': setting({ default: '', doc: "CAs the registry's certificate is checked against. Empty: Node's public CAs.", parser: pathText }),
  'schema.registry.ssl.truststore.type': setting({ default: 'PKCS12', doc: 'PKCS12 or PEM.', parser: storeTypeParser }),
  'schema.registry.ssl.truststore.password': setting({ default: '', doc: "The PKCS12 truststore's password.", parser: secretText }),
  'schema.registry.ssl.keystore.location': setting({ default: '', doc: "The proxy's own certificate, for a registry that requires client certificates.", parser: pathText }),
  'schema.registry.ssl.keystore.type': setting({ default: 'PKCS12', doc: 'PKCS12 or PEM.', parser: storeTypeParser }),
  'schema.registry.ssl.keystore.password': setting({ default: '', doc: "The PKCS12 keystore's password (also the key's).", parser: secretText }),
  'schema.registry.ssl.key.password': setting({ default: '', doc: 'The password of an encrypted private key in a PEM keystore.', parser: secretText }),
  'schema.registry.ssl.endpoint.identification.algorithm': setting({
    default: 'https',
    doc: "https checks that the registry's certificate names the host it was reached at; empty turns that off.",
    parser: endpointIdentificationParser,
  }),
};

function userInfo(text: string, key: string, fail: Fail): { username: string; password: string } {
  const colon = text.indexOf(':');
  if (colon <= 0) fail(key, 'must be <user>:<password>');
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** Basic auth as Confluent reads it: from the URL's user-info (source URL, the default) or from user.info. */
export function schemaRegistry(values: SettingValues, fail: Fail): SchemaRegistrySettings | undefined {
  const urls = values['schema.registry.url'];
  if (urls.length === 0) return undefined;
  const source = values['schema.registry.basic.auth.credentials.source'];
  const info = source === 'USER_INFO' ? values['schema.registry.basic.auth.user.info'] : urls.find((u) => u.credentials)?.credentials;
  if (source === 'USER_INFO' && !info) fail('schema.registry.basic.auth.credentials.source', 'USER_INFO needs schema.registry.basic.auth.user.info=<user>:<password>');
  const key = source === 'USER_INFO' ? 'schema.registry.basic.auth.user.info' : 'schema.registry.url';
  const truststore = trustStore(values, 'schema.registry.ssl.');
  const keystore = keyStore(values, 'schema.registry.ssl.');
  return {
    urls: urls.map((u) => u.url),
    ...(info ? { basicAuth: userInfo(info, key, fail) } : {}),
    ssl: { verifyHostname: values['schema.registry.ssl.endpoint.identification.algorithm'], ...(truststore ? { truststore } : {}), ...(keystore ? { keystore } : {}) },
  };
}
