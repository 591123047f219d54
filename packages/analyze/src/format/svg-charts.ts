import type { AnalysisReport } from '../analysis/report.js';
import { formatDuration } from '../policy/quantities.js';
import { count, percent, signedPoints } from './numbers.js';

/** Escapes text for HTML and SVG. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Colours for the treatments, in order (control is grey). */
export const SERIES_COLOURS = ['#2563eb', '#d97706', '#059669', '#9333ea', '#dc2626', '#0891b2'];

/** A coordinate for an SVG attribute: plain ASCII digits and "-", never the typographic minus. */
const f = (n: number) => String(+n.toFixed(1));

/** A round step near `rough`: 1, 2 or 5 times a power of ten. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const scaled = rough / power;
  return (scaled < 1.5 ? 1 : scaled < 3.5 ? 2 : scaled < 7.5 ? 5 : 10) * power;
}

/**
 * Each treatment's share of the units first exposed per time bucket, against its expected share
 * and tolerance band, above a bar chart of the units per bucket (quiet periods show as gaps).
 * Inline SVG, no external references.
 */
export function balanceChart(report: AnalysisReport): string {
  const buckets = report.balance.buckets;
  const width = 880;
  const left = 56;
  const right = 16;
  const shareTop = 16;
  const shareHeight = 200;
  const barsTop = shareTop + shareHeight + 28;
  const barsHeight = 80;
  const height = barsTop + barsHeight + 36;
  const plotWidth = width - left - right;
  const n = Math.max(buckets.length, 1);
  const step = plotWidth / n;
  const x = (i: number) => left + (i + 0.5) * step;
  const treatments = report.variants.slice(1);
  const tolerances = report.balance.tolerancePoints.slice(1);
  const totals = buckets.map((b) => b.units.reduce((a, c) => a + c, 0));
  // Only judged buckets are plotted: the share of a handful of units swings from 0% to 100% and says nothing.
  const plotted = (j: number, treatment: number): number | null => (buckets[j]!.judged ? (buckets[j]!.shares[treatment + 1] ?? null) : null);

  let maxShare = 0;
  treatments.forEach((t, i) => (maxShare = Math.max(maxShare, t.expectedShare + tolerances[i]! / 100)));
  for (const b of buckets) if (b.judged) for (const s of b.shares.slice(1)) if (s !== null) maxShare = Math.max(maxShare, s);
  maxShare = Math.min(1, Math.ceil(maxShare * 10 + 0.5) / 10);
  const y = (share: number) => shareTop + shareHeight - (share / maxShare) * shareHeight;

  const parts: string[] = [];
  parts.push(`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="Exposure balance over time">`);
  // Buckets too small to judge: greyed out, their shares left out.
  buckets.forEach((b, j) => {
    if (b.judged || totals[j] === 0) return;
    parts.push(
      `<rect x="${f(left + j * step)}" y="${shareTop}" width="${f(step)}" height="${shareHeight}" class="unjudged"><title>${escapeHtml(`${b.start}: ${count(totals[j]!)} units, too few to judge (${count(report.balance.minUnits)} needed)`)}</title></rect>`,
    );
  });
  // Axes and grid for shares.
  for (let g = 0; g <= 4; g++) {
    const share = (maxShare * g) / 4;
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${f(y(share))}" y2="${f(y(share))}" class="grid"/>`);
    parts.push(`<text x="${left - 6}" y="${f(y(share) + 4)}" class="tick" text-anchor="end">${percent(share, 0)}</text>`);
  }
  treatments.forEach((t, i) => {
    const colour = SERIES_COLOURS[i % SERIES_COLOURS.length]!;
    const tolerance = tolerances[i]! / 100;
    const top = y(Math.min(maxShare, t.expectedShare + tolerance));
    const bottom = y(Math.max(0, t.expectedShare - tolerance));
    parts.push(`<rect x="${left}" y="${f(top)}" width="${plotWidth}" height="${f(bottom - top)}" fill="${colour}" opacity="0.08"/>`);
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${f(y(t.expectedShare))}" y2="${f(y(t.expectedShare))}" stroke="${colour}" stroke-dasharray="5 4"/>`);
    // One path per run of buckets with units; empty buckets break the line.
    let d = '';
    let pen = false;
    buckets.forEach((_, j) => {
      const share = plotted(j, i);
      if (share === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${f(x(j))} ${f(y(share))}`;
      pen = true;
    });
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.5"/>`);
    buckets.forEach((b, j) => {
      const share = plotted(j, i);
      if (share === null) return;
      const flagged = b.outOfTolerance.includes(t.name);
      parts.push(
        `<circle cx="${f(x(j))}" cy="${f(y(share))}" r="${flagged ? 4 : 2.2}" fill="${flagged ? '#dc2626' : colour}"><title>${escapeHtml(`${b.start}: ${t.name} ${percent(share, 1)} of ${count(totals[j]!)} units${flagged ? ' (outside tolerance)' : ''}`)}</title></circle>`,
      );
    });
  });
  parts.push(`<text x="${left}" y="${shareTop - 4}" class="label">share of units first exposed (dashed: expected; band: tolerance; red: outside; grey: too few units to judge)</text>`);

  // Units per bucket.
  const maxUnits = Math.max(1, ...totals);
  parts.push(`<text x="${left}" y="${barsTop - 6}" class="label">units first exposed per ${formatDuration(report.balance.intervalMs)} (max ${count(maxUnits)})</text>`);
  parts.push(`<line x1="${left}" x2="${width - right}" y1="${barsTop + barsHeight}" y2="${barsTop + barsHeight}" class="axis"/>`);
  buckets.forEach((b, j) => {
    if (totals[j] === 0) return;
    const h = (totals[j]! / maxUnits) * barsHeight;
    parts.push(`<rect x="${f(left + j * step + step * 0.1)}" y="${f(barsTop + barsHeight - h)}" width="${f(Math.max(step * 0.8, 0.5))}" height="${f(h)}" class="${b.judged ? 'bar' : 'bar unjudged-bar'}"/>`);
  });
  // A few time labels.
  const labels = Math.min(6, buckets.length);
  for (let l = 0; l < labels; l++) {
    const j = Math.round((l * (buckets.length - 1)) / Math.max(labels - 1, 1));
    const start = buckets[j]!.start;
    parts.push(`<text x="${f(x(j))}" y="${barsTop + barsHeight + 16}" class="tick" text-anchor="middle">${escapeHtml(`${start.slice(5, 10)} ${start.slice(11, 16)}`)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

/**
 * Relative lift of every treatment on every metric with its confidence interval, against zero
 * and, for non-inferiority guardrails, against the margin. Falls back to the absolute lift (in
 * points) where the relative one does not exist.
 */
export function liftChart(report: AnalysisReport): string {
  type Row = { label: string; estimate: number; low: number; high: number; unit: '%' | 'pts'; margin?: number; colour: string };
  const rows: Row[] = [];
  for (const metric of report.metrics) {
    metric.comparisons.forEach((c, i) => {
      const colour = SERIES_COLOURS[i % SERIES_COLOURS.length]!;
      const guardrail = report.guardrails.find((g) => g.guardrail.type === 'non-inferiority' && g.guardrail.metric === metric.name);
      const margin =
        guardrail?.guardrail.type === 'non-inferiority' ? (guardrail.guardrail.direction === 'lower-is-better' ? guardrail.guardrail.margin : -guardrail.guardrail.margin) : undefined;
      const label = `${metric.name}: ${c.treatment} vs ${c.control}`;
      if (c.relativeLift) rows.push({ label, ...c.relativeLift, unit: '%', colour, ...(margin === undefined ? {} : { margin }) });
      else if (c.absoluteLift) rows.push({ label: `${label} (absolute)`, ...c.absoluteLift, unit: 'pts', colour });
    });
  }
  if (rows.length === 0) return '<p class="muted">No metric comparisons: track a metric with --metric or a guardrail.</p>';

  const width = 880;
  const labelWidth = 330;
  const right = 24;
  const rowHeight = 34;
  const top = 28;
  const height = top + rows.length * rowHeight + 30;
  let lo = 0;
  let hi = 0;
  for (const r of rows) {
    lo = Math.min(lo, r.low, r.margin ?? 0);
    hi = Math.max(hi, r.high, r.margin ?? 0);
  }
  const pad = (hi - lo) * 0.08 || 0.01;
  lo -= pad;
  hi += pad;
  const x = (v: number) => labelWidth + ((v - lo) / (hi - lo)) * (width - labelWidth - right);
  const parts: string[] = [`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="Lift with confidence intervals">`];
  parts.push(`<text x="${labelWidth}" y="14" class="label">lift with ${percent(report.confidence, 0)} interval (relative, or absolute in points where control's rate is 0)</text>`);
  parts.push(`<line x1="${f(x(0))}" x2="${f(x(0))}" y1="${top - 6}" y2="${height - 24}" class="axis"/>`);
  const tick = niceStep((hi - lo) / 5);
  for (let v = Math.ceil(lo / tick) * tick; v <= hi + 1e-12; v += tick) {
    parts.push(`<text x="${f(x(v))}" y="${height - 8}" class="tick" text-anchor="middle">${percent(Math.abs(v) < 1e-12 ? 0 : v, tick < 0.01 ? 1 : 0, true)}</text>`);
  }
  rows.forEach((r, i) => {
    const cy = top + i * rowHeight + rowHeight / 2;
    parts.push(`<text x="${labelWidth - 10}" y="${f(cy + 4)}" class="tick" text-anchor="end">${escapeHtml(r.label)}</text>`);
    if (r.margin !== undefined) {
      parts.push(`<line x1="${f(x(r.margin))}" x2="${f(x(r.margin))}" y1="${f(cy - 12)}" y2="${f(cy + 12)}" stroke="#dc2626" stroke-dasharray="3 3"><title>non-inferiority margin ${percent(r.margin, 1, true)}</title></line>`);
    }
    parts.push(`<line x1="${f(x(r.low))}" x2="${f(x(r.high))}" y1="${f(cy)}" y2="${f(cy)}" stroke="${r.colour}" stroke-width="2"/>`);
    for (const end of [r.low, r.high]) parts.push(`<line x1="${f(x(end))}" x2="${f(x(end))}" y1="${f(cy - 5)}" y2="${f(cy + 5)}" stroke="${r.colour}" stroke-width="2"/>`);
    const show = (v: number) => (r.unit === '%' ? percent(v, 1, true) : `${signedPoints(v)} pts`);
    parts.push(`<circle cx="${f(x(r.estimate))}" cy="${f(cy)}" r="4.5" fill="${r.colour}"><title>${escapeHtml(`${r.label}: ${show(r.estimate)} [${show(r.low)}, ${show(r.high)}]`)}</title></circle>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
