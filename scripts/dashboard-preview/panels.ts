/** The dashboard's panels, and their data from a Prometheus server's HTTP API (query_range; instant for stats). */
import { readFileSync } from 'node:fs';

export interface PanelSpec {
  readonly type: 'timeseries' | 'stat';
  readonly title: string;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly targets: readonly { readonly expr: string; readonly legendFormat: string }[];
  readonly fieldConfig: { readonly defaults: { readonly unit: string } };
}

export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface PanelData {
  readonly panel: PanelSpec;
  readonly series: readonly Series[];
}

interface PromMatrix {
  readonly status: string;
  readonly error?: string;
  readonly data: { readonly result: readonly { readonly metric: Record<string, string>; readonly values?: [number, string][]; readonly value?: [number, string] }[] };
}

export function readDashboard(path: string): PanelSpec[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { panels: PanelSpec[] }).panels;
}

/** Grafana's `{{label}}` legend format, filled from a series' labels. */
function legend(format: string, metric: Record<string, string>): string {
  return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => metric[name] ?? '');
}

async function query(prometheus: string, expr: string, range: { start: number; end: number; step: number } | undefined): Promise<PromMatrix['data']['result']> {
  // The dashboard's $instance variable, as "All".
  const params = new URLSearchParams({ query: expr.replaceAll('$instance', '.*') });
  if (range) for (const [k, v] of Object.entries(range)) params.set(k, String(v));
  const response = await fetch(`${prometheus}/api/v1/${range ? 'query_range' : 'query'}?${params}`);
  const body = (await response.json()) as PromMatrix;
  if (body.status !== 'success') throw new Error(`Prometheus refused ${expr}: ${body.error ?? response.status}`);
  return body.data.result;
}

export async function panelData(prometheus: string, panel: PanelSpec, minutes: number): Promise<PanelData> {
  const end = Math.floor(Date.now() / 1000);
  const range = panel.type === 'timeseries' ? { start: end - minutes * 60, end, step: Math.max(5, Math.round((minutes * 60) / 240)) } : undefined;
  const series: Series[] = [];
  for (const target of panel.targets) {
    for (const result of await query(prometheus, target.expr, range)) {
      const values = result.values ?? (result.value ? [result.value] : []);
      const points = values.map(([t, v]) => [t, Number(v)] as const).filter(([, v]) => Number.isFinite(v));
      series.push({ name: legend(target.legendFormat, result.metric) || target.expr, points });
    }
  }
  return { panel, series };
}
