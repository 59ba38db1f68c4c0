/**
 * Keystores and truststores named by the configuration, read into what Node's TLS takes. PKCS12 (Java's default
 * store type): a keystore becomes `pfx`, a truststore's certificates become `ca`. PEM: a keystore file holds the
 * private key (optionally encrypted with `ssl.key.password`) and its certificate chain; a truststore file holds CA
 * certificates. JKS cannot be read by Node and is refused.
 */
import { readFileSync } from 'node:fs';
import type { SecureContextOptions } from 'node:tls';
import { pkcs12Certificates } from './pkcs12.js';

export type StoreType = 'PKCS12' | 'PEM';
export const STORE_TYPES: readonly StoreType[] = ['PKCS12', 'PEM'];

export interface TrustStoreConfig {
  readonly location: string;
  readonly password: string;
  readonly type: StoreType;
}

export interface KeyStoreConfig extends TrustStoreConfig {
  /** The private key's password (PEM); a PKCS12 key uses the store password, as keytool writes it. */
  readonly keyPassword: string;
}

export class KeyStoreError extends Error {}

const JKS_MAGIC = 0xfeedfeed;

function readStore(kind: string, location: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(location);
  } catch (error) {
    throw new KeyStoreError(`cannot read ${kind} ${location}: ${(error as Error).message}`);
  }
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === JKS_MAGIC) {
    throw new KeyStoreError(
      `${kind} ${location} is a JKS store, which Node cannot read: convert it with ` +
        `keytool -importkeystore -srckeystore ${location} -destkeystore <file>.p12 -deststoretype PKCS12`,
    );
  }
  return bytes;
}

function pemBlocks(text: string, label: RegExp): string[] {
  return [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g)].filter((m) => label.test(m[1]!)).map((m) => m[0]);
}

/** `key`/`cert` or `pfx` plus `passphrase`, for tls.createSecureContext. */
export function loadKeyStore(config: KeyStoreConfig, kind = 'keystore'): SecureContextOptions {
  const bytes = readStore(kind, config.location);
  if (config.type === 'PKCS12') return { pfx: bytes, passphrase: config.password };
  const text = bytes.toString('utf8');
  const [key, ...extraKeys] = pemBlocks(text, /PRIVATE KEY$/);
  const chain = pemBlocks(text, /^CERTIFICATE$/);
  if (key === undefined || extraKeys.length > 0 || chain.length === 0) {
    throw new KeyStoreError(`${kind} ${config.location} (PEM) must hold one private key and its certificate chain`);
  }
  return { key, cert: chain.join('\n'), passphrase: config.keyPassword || config.password };
}

/** The trusted CA certificates, as PEM. */
export function loadTrustStore(config: TrustStoreConfig, kind = 'truststore'): string[] {
  const bytes = readStore(kind, config.location);
  let certificates: string[];
  try {
    certificates = config.type === 'PEM' ? pemBlocks(bytes.toString('utf8'), /^CERTIFICATE$/) : pkcs12Certificates(bytes, config.password);
  } catch (error) {
    throw new KeyStoreError(`cannot read ${kind} ${config.location} (${config.type}): ${(error as Error).message}`);
  }
  if (certificates.length === 0) throw new KeyStoreError(`${kind} ${config.location} holds no certificates`);
  return certificates;
}
