/**
 * `tsx scripts/dashboard-preview/index.ts --prometheus URL --minutes N --out FILE.png`: draws docs/grafana-dashboard.json's
 * panels from a Prometheus server's data (its HTTP API, the same queries Grafana would send) and takes a picture
 * of them with headless Chromium. Grafana itself is not installable here; this picture shows the dashboard's
 * queries answering on real scraped data, laid out on its grid — not Grafana's rendering.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from '../lib/chromium.js';
import { PROJECT_ROOT } from '../../src/project-paths.js';
import { panelData, readDashboard } from './panels.js';
import { dashboardPage } from './render.js';

const WIDTH_PX = 1440;

const { values } = parseArgs({
  options: {
    prometheus: { type: 'string', default: 'http://127.0.0.1:9090' },
    minutes: { type: 'string', default: '10' },
    out: { type: 'string', default: join(PROJECT_ROOT, 'docs', 'images', 'grafana-dashboard-preview.png') },
  },
});
const minutes = Number(values.minutes);
const panels = readDashboard(join(PROJECT_ROOT, 'docs', 'grafana-dashboard.json'));
const data = await Promise.all(panels.map((panel) => panelData(values.prometheus!, panel, minutes)));
const caption = `docs/grafana-dashboard.json's ${panels.length} panels, each query answered by Prometheus (${new Date().toISOString().slice(0, 16)}Z, last ${minutes} min, scraping the proxy every 2 s) and drawn by scripts/dashboard-preview — not by Grafana.`;
const html = dashboardPage('kafka-rest-ts — dashboard preview', caption, data, WIDTH_PX);

const browser = await launchChromium({ viewport: { width: WIDTH_PX, height: 900 } });
try {
  const page = await browser.context.newPage();
  await page.setContent(html);
  await page.screenshot({ path: values.out!, fullPage: true });
  console.log(`wrote ${values.out} (${data.reduce((n, d) => n + d.series.length, 0)} series in ${panels.length} panels)`);
} finally {
  await browser.close();
}
