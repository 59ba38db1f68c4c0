/** Starts the proxy in-process against the run's real broker, with a typed client generated from the spec. */
import createClient from 'openapi-fetch';
import type { Client } from 'openapi-fetch';
import { pino } from 'pino';
import { inject } from 'vitest';
import type { paths } from '../../../generated/openapi-types.js';
import { DEFAULTS, toProxyConfig } from '../../../src/config/config.js';
import { loadBundledSpec, startProxy } from '../../../src/proxy.js';
import { ResponseContract } from './response-contract.js';
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
    // Each proxy under test is a deployment of its own: test files share the broker, not their instances.
    'deployment.name': uniqueTopic('test'),
    ...overrides,
  });
  const contract = new ResponseContract(loadBundledSpec(), config.upstashPrefix);
  const started = await startProxy(config, pino({ level: config.logLevel }), { middleware: [contract.middleware()] });
  // Stopping reports every response that did not match the spec (the afterAll hook that stops the proxy fails).
  const proxy: RunningProxy = {
    ...started,
    stop: async () => {
      await started.stop();
      contract.assertNone();
    },
  };
  const baseUrl = proxy.urls[0]!;
  return { proxy, baseUrl, client: createClient<paths>({ baseUrl }), clusterId: inject('clusterId'), bootstrapServers };
}

/** A topic name no other test uses. */
export function uniqueTopic(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
