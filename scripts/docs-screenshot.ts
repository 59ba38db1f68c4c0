/**
 * The picture of the API reference in docs/README.md: `/docs` of a running server in headless Chromium with
 * JavaScript disabled, taken as soon as the HTML has arrived (what a reader sees before any script runs).
 *
 *   npm start &   npx tsx scripts/docs-screenshot.ts http://127.0.0.1:8082/docs docs/images/api-reference-before-scripts.png
 */
import { launchChromium } from './lib/chromium.js';

const [url = 'http://127.0.0.1:8082/docs', out = 'docs/images/api-reference-before-scripts.png'] = process.argv.slice(2);
const browser = await launchChromium({ javaScriptEnabled: false, viewport: { width: 1400, height: 900 } });
try {
  const page = await browser.context.newPage();
  const started = Date.now();
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.screenshot({ path: out });
  const operations = await page.locator('h2').count();
  console.log(`${out}: ${url} with scripts disabled, taken ${Date.now() - started} ms after the request; ${operations} h2 headings in the page`);
} finally {
  await browser.close();
}
