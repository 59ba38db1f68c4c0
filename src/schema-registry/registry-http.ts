/**
 * HTTP(S) requests to a Schema Registry: JSON in and out, Basic auth, the configured TLS stores, and failover
 * across the URLs of `schema.registry.url` (the next one is tried when one cannot be reached).
 */
import http from 'node:http';
import https from 'node:https';
import type { SchemaRegistrySettings } from '../config/config.js';
import { loadKeyStore, loadTrustStore } from '../config/key-stores.js';
import { DomainError } from '../errors/domain-error.js';

const REQUEST_TIMEOUT_MS = 10_000;
const ACCEPT = 'application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json';
const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export interface RegistryResponse {
  readonly status: number;
  readonly body: unknown;
}

interface Target {
  /** Without a trailing slash. */
  readonly base: string;
  readonly authorization?: string;
}

function targetsOf(settings: SchemaRegistrySettings): Target[] {
  const auth = settings.basicAuth;
  const authorization = auth ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` : undefined;
  return settings.urls.map((url) => ({ base: url.replace(/\/+$/, ''), ...(authorization ? { authorization } : {}) }));
}

function tlsAgent(settings: SchemaRegistrySettings): https.Agent {
  const ssl = settings.ssl;
  return new https.Agent({
    keepAlive: true,
    ...(ssl.truststore ? { ca: loadTrustStore(ssl.truststore, 'schema.registry.ssl.truststore') } : {}),
    ...(ssl.keystore ? loadKeyStore(ssl.keystore, 'schema.registry.ssl.keystore') : {}),
    ...(!ssl.verifyHostname ? { checkServerIdentity: () => undefined } : {}),
  });
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class RegistryHttp {
  private readonly targets: Target[];
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent: https.Agent;
  private preferred = 0;

  constructor(settings: SchemaRegistrySettings) {
    this.targets = targetsOf(settings);
    this.httpsAgent = tlsAgent(settings);
  }

  /** The registry's answer, whatever its status; 503 (schema_registry_unavailable) when no URL answers. */
  async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<RegistryResponse> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.targets.length; attempt++) {
      const index = (this.preferred + attempt) % this.targets.length;
      try {
        const response = await this.send(this.targets[index]!, method, path, body);
        this.preferred = index;
        if (response.status >= 500) throw new Error(`it answered ${response.status}: ${JSON.stringify(response.body)}`);
        return response;
      } catch (error) {
        lastError = error;
      }
    }
    const reason = lastError instanceof Error ? lastError.message : String(lastError);
    throw new DomainError('schema_registry_unavailable', `The Schema Registry cannot be reached (${this.targets.map((t) => t.base).join(', ')}): ${reason}`);
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private send(target: Target, method: string, path: string, body: unknown): Promise<RegistryResponse> {
    const url = new URL(target.base + path);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const secure = url.protocol === 'https:';
    const headers: Record<string, string> = { accept: ACCEPT };
    if (target.authorization) headers['authorization'] = target.authorization;
    if (payload !== undefined) headers['content-type'] = CONTENT_TYPE;
    return new Promise((resolve, reject) => {
      const request = (secure ? https : http).request(url, { method, headers, agent: secure ? this.httpsAgent : this.httpAgent, timeout: REQUEST_TIMEOUT_MS }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: parseBody(Buffer.concat(chunks).toString('utf8')) }));
        response.on('error', reject);
      });
      request.on('timeout', () => request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
      request.on('error', reject);
      request.end(payload);
    });
  }
}
