import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_SPEC_PATH } from '../../src/project-paths.js';
import { startProxyUnderTest } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';

describe('operational endpoints', () => {
  let t: ProxyUnderTest;
  beforeAll(async () => {
    t = await startProxyUnderTest();
  });
  afterAll(() => t.proxy.stop());

  it('/healthz answers ok', async () => {
    const { data, response } = await t.client.GET('/healthz');
    expect(response.status).toBe(200);
    expect(data).toEqual({ status: 'ok' });
  });

  it('/readyz reports the reachable cluster', async () => {
    const { data, response } = await t.client.GET('/readyz');
    expect(response.status).toBe(200);
    expect(data).toEqual({ status: 'ready', kafka: { reachable: true, cluster_id: t.clusterId, brokers: 1 } });
  });

  it('/openapi.json is the bundled spec', async () => {
    const response = await fetch(`${t.baseUrl}/openapi.json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(JSON.parse(readFileSync(BUNDLED_SPEC_PATH, 'utf8')));
  });

  it('/docs is one HTML page that loads nothing from the network', async () => {
    const response = await fetch(`${t.baseUrl}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('Redoc.init(');
    expect(html).toContain('"title":"Kafka REST Proxy"');
    // No external resource: no src= or href= attribute and no @import or url() pointing off the page.
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/@import|fonts\.googleapis|cdn\.redoc/);
  });
});
