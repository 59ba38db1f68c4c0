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
    expect(html.includes('Redoc.hydrate(')).toBe(true);
    expect(html.includes('"title":"Kafka REST Proxy"')).toBe(true);
    // Every script is inline, and the markup around them references nothing external.
    expect(/<script[^>]*\ssrc=/i.test(html)).toBe(false);
    const markup = html.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');
    // The pre-rendered reference has links (<a href>), which load nothing; nothing else points anywhere.
    expect(markup).not.toMatch(/\ssrc=|<link\b|@import|url\((?!'data:)/i);
    expect([...markup.matchAll(/<(\w+)[^>]*\shref=/g)].every((m) => m[1] === 'a')).toBe(true);
    // The only external reference in Redoc's bundle (its logo) is blocked by the page's own policy.
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(markup)?.[1] ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain('img-src data: blob:');
    expect(policy).not.toMatch(/https?:|\*/);
  });
});
