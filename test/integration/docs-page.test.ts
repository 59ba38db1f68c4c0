/**
 * `/docs` is readable before any script runs: its HTML holds every operation's summary and the navigation by
 * dialect and v3 resource, and headless Chromium with JavaScript disabled shows them; with JavaScript, Redoc's
 * bundle takes the page over (search works).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundledSpec } from '../../src/proxy.js';
import { launchChromium } from '../../scripts/lib/chromium.js';
import { startProxyUnderTest } from './support/proxy-under-test.js';
import type { ProxyUnderTest } from './support/proxy-under-test.js';

interface TagGroup {
  readonly name: string;
  readonly tags: readonly string[];
}

const spec = loadBundledSpec() as unknown as {
  paths: Record<string, Record<string, { summary?: string; operationId?: string }>>;
  tags: { name: string; 'x-displayName'?: string }[];
  'x-tagGroups': TagGroup[];
};

function htmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
}

/** The page with its scripts removed: what a browser shows before (or without) running any. */
function withoutScripts(html: string): string {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
}

const summaries = Object.values(spec.paths).flatMap((item) => Object.values(item).flatMap((op) => (op.summary ? [op.summary] : [])));

describe('/docs, pre-rendered', { timeout: 90_000 }, () => {
  let t: ProxyUnderTest;
  beforeAll(async () => {
    t = await startProxyUnderTest();
  });
  afterAll(() => t.proxy.stop());

  it('groups v3 by resource and every dialect in its own group (x-tagGroups)', () => {
    expect(spec['x-tagGroups'].map((g) => g.name)).toEqual(['Operations', 'Confluent REST Proxy v2', 'Confluent REST Proxy v3 (under /v3)', 'Upstash (under /upstash)']);
    const v3 = spec['x-tagGroups'][2]!.tags.map((name) => spec.tags.find((tag) => tag.name === name)?.['x-displayName']);
    expect(v3).toEqual(['Clusters', 'Brokers', 'Topics', 'Configs', 'Partitions', 'Consumer groups', 'ACLs', 'Records']);
    // Every tag an operation names is in a group (Redoc shows no others).
    const grouped = new Set(spec['x-tagGroups'].flatMap((g) => g.tags));
    const used = new Set(Object.values(spec.paths).flatMap((item) => Object.values(item).flatMap((op) => (op as { tags?: string[] }).tags ?? [])));
    expect([...used].filter((tag) => !grouped.has(tag))).toEqual([]);
  });

  it("holds every operation's summary and the navigation in its HTML, outside any script", async () => {
    const response = await fetch(`${t.baseUrl}/docs`);
    expect(response.status).toBe(200);
    const markup = withoutScripts(await response.text());
    expect(summaries.length).toBeGreaterThan(90);
    expect(summaries.filter((summary) => !markup.includes(htmlText(summary)))).toEqual([]);
    for (const group of spec['x-tagGroups']) expect(markup).toContain(htmlText(group.name));
    expect(markup).not.toContain('Loading...');
  });

  it('shows the reference in Chromium with JavaScript disabled', async () => {
    const browser = await launchChromium({ javaScriptEnabled: false });
    try {
      const page = await browser.context.newPage();
      await page.goto(`${t.baseUrl}/docs`, { waitUntil: 'domcontentloaded' });
      // The scripts are there, just not run.
      expect(await page.locator('script').count()).toBeGreaterThan(0);
      const text = await page.locator('body').innerText();
      expect(text).toContain('Kafka REST Proxy');
      // Group names are shown upper-cased (CSS), which innerText reflects.
      expect(text).toContain('CONFLUENT REST PROXY V3 (UNDER /V3)');
      for (const name of ['Consumer groups', 'ACLs', 'Produce records', 'Lag summary of a consumer group']) expect(text).toContain(name);
      await expect(page.getByRole('heading', { name: 'Prometheus metrics' }).first().isVisible()).resolves.toBe(true);
    } finally {
      await browser.close();
    }
  });

  // Redoc's hydration of its own server rendering reports React's #418/#423 (a mismatch, after which React renders the
  // page again in the browser): Redocly/redoc#2734, which `redocly build-docs` output shows too. The page works; any
  // other error fails the test.
  it('is taken over by Redoc once its scripts run: search answers, and no error but the known hydration mismatch', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${t.baseUrl}/docs`, { waitUntil: 'load' });
      // Search results exist only once Redoc's scripts have taken the page over.
      await page.getByPlaceholder('Search...').fill('lag summary');
      const results = page.locator('[data-role="search:results"] [role="menuitem"]');
      await expect.poll(() => results.first().getAttribute('aria-label'), { timeout: 20_000 }).toBe('Lag summary of a consumer group');
      expect(errors.filter((message) => !/^Minified React error #(418|423);/.test(message))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
