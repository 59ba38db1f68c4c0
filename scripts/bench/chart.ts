/**
 * The ratios as a horizontal bar chart in SVG, drawn by hand: a log scale centred on parity (1×), each bar from 1×
 * to its ratio, green or red where the issue sets a target (drawn as a tick), blue where it does not.
 */

export interface ChartRow {
  readonly label: string;
  readonly value: number;
  readonly target?: number;
  /** For RSS and startup time, less than 1× is the better side. */
  readonly lowerIsBetter?: boolean;
}

const WIDTH = 960;
const LABEL_WIDTH = 380;
const PLOT_RIGHT = WIDTH - 70;
const ROW_HEIGHT = 24;
const TOP = 64;
const BOTTOM = 56;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function formatRatio(value: number): string {
  return value >= 10 ? `${value.toFixed(0)}×` : value >= 1 ? `${value.toFixed(2)}×` : `${value.toFixed(3)}×`;
}

function ticksBetween(minExp: number, maxExp: number): number[] {
  const ticks: number[] = [];
  for (let e = minExp; e <= maxExp; e++) for (const m of [1, 2, 5]) ticks.push(m * 10 ** e);
  return ticks.filter((t) => t >= 10 ** minExp && t <= 10 ** maxExp);
}

export function renderRatioChart(rows: readonly ChartRow[], title: string, footnote?: string): string {
  const height = TOP + Math.max(1, rows.length) * ROW_HEIGHT + BOTTOM + (footnote ? 20 : 0);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="24" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="16" y="44" fill="#555">Log scale; bars start at parity (1×). Green/red: the issue's target (black tick) met/not met. Blue: no target. RSS and startup: below 1× is better.</text>`,
  ];
  const finite = rows.filter((r) => Number.isFinite(r.value) && r.value > 0);
  if (finite.length === 0) {
    parts.push(`<text x="16" y="${TOP + 16}">No ratio could be measured in this run.${footnote ? ` ${escapeXml(footnote)}` : ''}</text>`, '</svg>');
    return parts.join('\n');
  }
  const values = finite.flatMap((r) => [r.value, r.target ?? 1]);
  const minExp = Math.min(-1, Math.floor(Math.log10(Math.min(...values))));
  const maxExp = Math.max(1, Math.ceil(Math.log10(Math.max(...values))));
  const x = (value: number): number => LABEL_WIDTH + ((Math.log10(value) - minExp) / (maxExp - minExp)) * (PLOT_RIGHT - LABEL_WIDTH);
  const plotBottom = TOP + rows.length * ROW_HEIGHT;
  for (const tick of ticksBetween(minExp, maxExp)) {
    const tx = x(tick).toFixed(1);
    parts.push(`<line x1="${tx}" y1="${TOP - 4}" x2="${tx}" y2="${plotBottom}" stroke="${tick === 1 ? '#333' : '#e3e3e3'}" stroke-width="${tick === 1 ? 1.5 : 1}"/>`);
    parts.push(`<text x="${tx}" y="${plotBottom + 16}" text-anchor="middle" fill="#555">${tick < 1 ? tick : tick.toFixed(0)}×</text>`);
  }
  rows.forEach((row, i) => {
    const y = TOP + i * ROW_HEIGHT;
    const middle = y + ROW_HEIGHT / 2;
    parts.push(`<text x="${LABEL_WIDTH - 8}" y="${middle + 4}" text-anchor="end">${escapeXml(row.label)}</text>`);
    if (!(Number.isFinite(row.value) && row.value > 0)) return;
    const met = row.target === undefined ? undefined : row.lowerIsBetter ? row.value <= row.target : row.value >= row.target;
    const colour = met === undefined ? '#4a78c2' : met ? '#2e9e4f' : '#d0453a';
    const from = x(1);
    const to = x(row.value);
    parts.push(`<rect x="${Math.min(from, to).toFixed(1)}" y="${y + 4}" width="${Math.max(1, Math.abs(to - from)).toFixed(1)}" height="${ROW_HEIGHT - 8}" fill="${colour}"/>`);
    const labelX = row.value >= 1 ? to + 4 : to - 4;
    parts.push(`<text x="${labelX.toFixed(1)}" y="${middle + 4}" text-anchor="${row.value >= 1 ? 'start' : 'end'}" fill="#222">${formatRatio(row.value)}</text>`);
    if (row.target !== undefined) {
      const tx = x(row.target).toFixed(1);
      parts.push(`<line x1="${tx}" y1="${y + 1}" x2="${tx}" y2="${y + ROW_HEIGHT - 1}" stroke="#000" stroke-width="2"/>`);
    }
  });
  parts.push(`<text x="${((LABEL_WIDTH + PLOT_RIGHT) / 2).toFixed(0)}" y="${plotBottom + 38}" text-anchor="middle" fill="#555">ours ÷ other</text>`);
  if (footnote) parts.push(`<text x="16" y="${plotBottom + 60}" fill="#555">${escapeXml(footnote)}</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}
