/** The panels as one HTML page on Grafana's 24-column grid: SVG line charts for time series, a number for stats. */
import type { PanelData, Series } from './panels.js';

const ROW_PX = 30;
const COLOURS = ['#73bf69', '#f2cc0c', '#5794f2', '#ff9830', '#f2495c', '#b877d9', '#8ab8ff', '#37872d', '#fade2a', '#c4162a'];

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A value in the panel's Grafana unit, short. */
export function formatValue(value: number, unit: string): string {
  const scaled = (v: number, suffixes: readonly string[], base: number): string => {
    let i = 0;
    while (Math.abs(v) >= base && i < suffixes.length - 1) {
      v /= base;
      i++;
    }
    return `${Number(v.toPrecision(3))}${suffixes[i]}`;
  };
  switch (unit) {
    case 'percentunit': return `${Number((value * 100).toPrecision(3))}%`;
    case 's': return value < 1 ? `${Number((value * 1000).toPrecision(3))} ms` : `${Number(value.toPrecision(3))} s`;
    case 'bytes': return scaled(value, [' B', ' KiB', ' MiB', ' GiB'], 1024);
    case 'Bps': return `${scaled(value, [' B', ' KiB', ' MiB', ' GiB'], 1024)}/s`;
    case 'reqps': return `${scaled(value, ['', 'k', 'M'], 1000)} req/s`;
    case 'bool_yes_no': return value ? 'Yes' : 'No';
    default: return scaled(value, ['', 'k', 'M', 'G'], 1000);
  }
}

/** A series split where it has no samples (more than three steps apart), as Grafana leaves such gaps open. */
function segments(points: Series['points']): (readonly (readonly [number, number])[])[] {
  const steps = points.slice(1).map((p, i) => p[0] - points[i]![0]);
  const step = steps.length > 0 ? Math.min(...steps) : 0;
  const runs: (readonly [number, number])[][] = [];
  for (const [i, point] of points.entries()) {
    if (i === 0 || point[0] - points[i - 1]![0] > 3 * step) runs.push([]);
    runs.at(-1)!.push(point);
  }
  return runs;
}

function chart(series: readonly Series[], unit: string, width: number, height: number): string {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return '<div class="empty">No data</div>';
  const [t0, t1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  const max = Math.max(...all.map((p) => p[1]), 0) || 1;
  const left = 70;
  const x = (t: number): number => left + ((t - t0) / (t1 - t0 || 1)) * (width - left - 10);
  const y = (v: number): number => 10 + (1 - v / max) * (height - 30);
  const lines = series.flatMap((s, i) =>
    segments(s.points).map((run) => `<polyline fill="none" stroke="${COLOURS[i % COLOURS.length]}" stroke-width="1.5" points="${run.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`),
  );
  const grid = [0, 0.5, 1].map((f) => `<line x1="${left}" x2="${width - 10}" y1="${y(max * f)}" y2="${y(max * f)}" stroke="#333"/><text x="${left - 6}" y="${y(max * f) + 4}" text-anchor="end">${escape(formatValue(max * f, unit))}</text>`);
  const times = [t0, t1].map((t, i) => `<text x="${x(t)}" y="${height - 4}" text-anchor="${i ? 'end' : 'start'}">${new Date(t * 1000).toISOString().slice(11, 19)}Z</text>`);
  return `<svg width="${width}" height="${height}">${grid.join('')}${times.join('')}${lines.join('')}</svg>`;
}

function panelHtml({ panel, series }: PanelData, columnPx: number): string {
  const width = panel.gridPos.w * columnPx - 16;
  const height = panel.gridPos.h * ROW_PX - 16;
  const unit = panel.fieldConfig.defaults.unit;
  const position = `grid-column: ${panel.gridPos.x + 1} / span ${panel.gridPos.w}; grid-row: ${panel.gridPos.y + 1} / span ${panel.gridPos.h};`;
  if (panel.type === 'stat') {
    const last = series[0]?.points.at(-1)?.[1];
    return `<section style="${position}"><h2>${escape(panel.title)}</h2><div class="stat">${last === undefined ? 'No data' : escape(formatValue(last, unit))}</div></section>`;
  }
  const legend = series.map((s, i) => `<span><i style="background:${COLOURS[i % COLOURS.length]}"></i>${escape(s.name)}</span>`).join('');
  return `<section style="${position}"><h2>${escape(panel.title)}</h2>${chart(series, unit, width, height - 62)}<div class="legend">${legend}</div></section>`;
}

export function dashboardPage(title: string, caption: string, panels: readonly PanelData[], widthPx: number): string {
  const columnPx = widthPx / 24;
  const rows = Math.max(...panels.map((p) => p.panel.gridPos.y + p.panel.gridPos.h));
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body { margin: 0; background: #111217; color: #ccccdc; font: 12px system-ui, sans-serif; width: ${widthPx}px; }
header { padding: 10px 12px 4px; } header h1 { font-size: 16px; margin: 0 0 4px; color: #fff; } header p { margin: 0; color: #9fa7b3; }
main { display: grid; grid-template-columns: repeat(24, ${columnPx}px); grid-template-rows: repeat(${rows}, ${ROW_PX}px); }
section { margin: 4px; padding: 4px; background: #181b1f; border: 1px solid #2c3235; border-radius: 2px; overflow: hidden; }
h2 { font-size: 12px; margin: 2px 4px 4px; color: #fff; font-weight: 500; }
svg text { fill: #9fa7b3; font-size: 10px; } .stat { font-size: 34px; color: #73bf69; padding: 6px 8px; font-weight: 500; }
.legend { display: flex; flex-wrap: wrap; gap: 2px 10px; padding: 2px 4px; font-size: 10px; } .legend i { display: inline-block; width: 10px; height: 3px; margin-right: 4px; vertical-align: middle; }
.empty { padding: 30px; color: #666; }
</style></head><body><header><h1>${escape(title)}</h1><p>${escape(caption)}</p></header><main>${panels.map((p) => panelHtml(p, columnPx)).join('')}</main></body></html>`;
}
