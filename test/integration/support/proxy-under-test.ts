/** Starts the proxy in-process against the run's real broker, with a typed client generated from the spec. */
import createClient from 'openapi-fetch';
import type { Client } from 'openapi-fetch';
import { pino } from 'pino';
import { inject } from 'vitest';
import type { paths } from '../../../generated/openapi-types.js';
import { DEFAULTS, toProxyConfig } from '../../../src/config/config.js';
import { startProxy } from '../../../src/proxy.js';
import type { RunningProxy } from '../../../src/proxy.js';

export interface ProxyUnderTest {
  readonly proxy: RunningProxy;
  readonly baseUrl: string;
  readonly client: Client<paths>;
  readonly clusterId: string;
  readonly bootstrapServers: string;
}

export async function startProxyUnderTest(overrides: Record<string, string> = {}): Promise<ProxyUnderTest> {
  const bootstrapServers = inject('bootstrapServers');
  const config = toProxyConfig({
    ...DEFAULTS,
    'bootstrap.servers': bootstrapServers,
    listeners: 'http://127.0.0.1:0',
    'log.level': 'error',
    ...overrides,
  });
  const proxy = await startProxy(config, pino({ level: config.logLevel }));
  const baseUrl = proxy.urls[0]!;
  return { proxy, baseUrl, client: createClient<paths>({ baseUrl }), clusterId: inject('clusterId'), bootstrapServers };
}

/** A topic name no other test uses. */
export function uniqueTopic(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
