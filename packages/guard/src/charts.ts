import { escapeHtml } from './charts-html.js';

/** One line of a chart: a value (or null, a gap) at each time, epoch ms. */
export interface ChartSeries {
  readonly name: string;
  readonly colour: string;
  readonly points: readonly (readonly [time: number, value: number | null])[];
}

/** A horizontal line across the chart: a threshold or a baseline. */
export interface ChartRule {
  readonly label: string;
  readonly value: number;
  readonly colour: string;
}

/** What {@link lineChart} draws. */
export interface LineChart {
  /** Names the chart for assistive technology and for tests (`data-chart`). */
  readonly id: string;
  readonly title: string;
  readonly series: readonly ChartSeries[];
  readonly rules?: readonly ChartRule[];
  /** How a value reads on the axis and in tooltips. */
  readonly format: (value: number) => string;
  /** The top of the y axis when values cannot go above it (a share: 1). */
  readonly max?: number;
}

/** Colours: control grey, the treatment blue, thresholds amber (hold) and red (rollback), baseline green. */
export const CHART_COLOURS = { control: '#6b7280', treatment: '#2563eb', hold: '#d97706', rollback: '#dc2626', baseline: '#059669' } as const;

const WIDTH = 640;
const HEIGHT = 220;
const LEFT = 64;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 44;

/** A coordinate: plain ASCII digits, one decimal. */
const f = (n: number): string => String(+n.toFixed(1));

/** A time of day in UTC for the x axis: "14:05", or "12-08 14:05" when the chart spans days. */
const timeTick = (ms: number, withDay: boolean): string => {
  const iso = new Date(ms).toISOString();
  return withDay ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
};

/**
 * A line chart as inline SVG: each series over time, horizontal rules for thresholds and
 * baselines, the y axis from 0 (or the lowest value, when below 0) to a little above the highest value or rule. No scripts, no
 * external references, the system's sans-serif font: the page works with no network at all.
 * A chart without points says so in its box instead of drawing empty axes.
 */
export function lineChart(chart: LineChart): string {
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const rules = chart.rules ?? [];
  const times = chart.series.flatMap((s) => s.points.map(([t]) => t));
  const values = [...chart.series.flatMap((s) => s.points.map(([, v]) => v)).filter((v): v is number => v !== null && Number.isFinite(v)), ...rules.map((r) => r.value)];
  const open = `<svg class="chart" data-chart="${escapeHtml(chart.id)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(chart.title)}" font-family="sans-serif" font-size="11">`;
  const frame = `<rect x="${LEFT}" y="${TOP}" width="${plotWidth}" height="${plotHeight}" fill="#ffffff" stroke="#d1d5db"/>`;
  if (times.length === 0) {
    return `${open}${frame}<text x="${f(LEFT + plotWidth / 2)}" y="${f(TOP + plotHeight / 2)}" text-anchor="middle" fill="#6b7280">no looks yet</text></svg>`;
  }
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const span = t1 - t0 || 1;
  // From 0 (or below it, for a relative lift that fell) to a little above the highest value.
  const top = Math.min(Math.max(...values, 0) * 1.15, chart.max ?? Infinity) || 1;
  const bottom = Math.min(...values, 0) * 1.15;
  const x = (t: number) => LEFT + (times.length === 1 || t1 === t0 ? plotWidth / 2 : ((t - t0) / span) * plotWidth);
  const y = (v: number) => TOP + plotHeight - ((v - bottom) / (top - bottom)) * plotHeight;
  const parts = [open, frame];
  for (let g = 0; g <= 4; g++) {
    const value = bottom + ((top - bottom) * g) / 4;
    parts.push(`<line x1="${LEFT}" x2="${LEFT + plotWidth}" y1="${f(y(value))}" y2="${f(y(value))}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${LEFT - 6}" y="${f(y(value) + 4)}" text-anchor="end" fill="#374151">${escapeHtml(chart.format(value))}</text>`);
  }
  const withDay = span > 20 * 3_600_000;
  // The first and last ticks align inward, so that neither runs off the chart.
  const ticks: [number, string][] = t1 === t0 ? [[t0, 'middle']] : [[t0, 'start'], [t0 + span / 2, 'middle'], [t1, 'end']];
  for (const [t, anchor] of ticks) {
    parts.push(`<text x="${f(x(t))}" y="${TOP + plotHeight + 14}" text-anchor="${anchor}" fill="#374151">${timeTick(t, withDay)}</text>`);
  }
  for (const rule of rules) {
    // On whole pixels, 2 wide: a crisp rule in the rule's own colour, not a blur of it.
    const ry = Math.round(y(rule.value));
    parts.push(`<line x1="${LEFT}" x2="${LEFT + plotWidth}" y1="${ry}" y2="${ry}" stroke="${rule.colour}" stroke-width="2" stroke-dasharray="8 4"><title>${escapeHtml(`${rule.label}: ${chart.format(rule.value)}`)}</title></line>`);
  }
  for (const series of chart.series) {
    let d = '';
    let pen = false;
    for (const [t, v] of series.points) {
      if (v === null || !Number.isFinite(v)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${f(x(t))} ${f(y(v))}`;
      pen = true;
    }
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${series.colour}" stroke-width="2.5"/>`);
    for (const [t, v] of series.points) {
      if (v === null || !Number.isFinite(v)) continue;
      parts.push(`<circle cx="${f(x(t))}" cy="${f(y(v))}" r="3" fill="${series.colour}"><title>${escapeHtml(`${series.name} at ${new Date(t).toISOString()}: ${chart.format(v)}`)}</title></circle>`);
    }
  }
  // The legend under the axis: series (solid), then rules (dashed).
  let lx = LEFT;
  for (const item of [...chart.series.map((s) => ({ label: s.name, colour: s.colour, dashed: false })), ...rules.map((r) => ({ label: r.label, colour: r.colour, dashed: true }))]) {
    const ly = HEIGHT - 10;
    parts.push(`<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${item.colour}" stroke-width="2.5"${item.dashed ? ' stroke-dasharray="4 3"' : ''}/>`);
    parts.push(`<text x="${lx + 22}" y="${ly}" fill="#111827">${escapeHtml(item.label)}</text>`);
    lx += 30 + item.label.length * 6;
  }
  parts.push('</svg>');
  return parts.join('');
}
