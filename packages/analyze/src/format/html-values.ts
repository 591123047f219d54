import type { AnalysisReport } from '../analysis/report.js';
import { valueLabel } from '../policy/value-spec.js';
import { cell, head } from './html-table.js';
import { count, decimal, decimalsFor, orDash, percent, pValue, signedPoints } from './numbers.js';
import { escapeHtml } from './svg-charts.js';

const show = (n: number | null) => orDash(n, (x) => decimal(x, decimalsFor(x)));
const relative = (r: number) => percent(r, 1, true);

/** The HTML report's tables for numeric properties of events and ratios of them: empty when there are none. */
export function valueTables(report: AnalysisReport): string[] {
  const body: string[] = [];
  const level = percent(report.confidence, 0);
  if (report.values.length > 0) {
    body.push(`<h2>Values</h2><p class="muted">${escapeHtml(`On units: each unit's total, and each unit's mean (a unit with many events counts once); Welch's test on units, relative lift by the delta method; ${level} intervals.`)}</p><table>`);
    body.push(head(['value', 'variant', 'units', 'with values', 'total per unit', 'rel. lift (total)', 'p', 'mean per unit', 'rel. lift (mean)', 'p', 'always-valid p (total, mean)']));
    for (const v of report.values) {
      v.variants.forEach((x, i) => {
        const sum = i === 0 ? undefined : v.comparisons.sumPerUnit[i - 1];
        const mean = i === 0 ? undefined : v.comparisons.meanPerUnit[i - 1];
        const lift = (c: typeof sum) => (c?.relativeLift ? `${relative(c.relativeLift.estimate)} [${relative(c.relativeLift.low)}, ${relative(c.relativeLift.high)}]` : i === 0 ? 'control' : '—');
        body.push(
          `<tr>${[
            i === 0 ? valueLabel(v) : '',
            x.name,
            count(x.units),
            count(x.unitsWithValues),
            show(x.sumPerUnit.mean),
            lift(sum),
            orDash(sum?.pValue ?? null, pValue),
            show(x.meanPerUnit.mean),
            lift(mean),
            orDash(mean?.pValue ?? null, pValue),
            i === 0 ? '' : `${orDash(sum?.sequential?.pValue ?? null, pValue)}, ${orDash(mean?.sequential?.pValue ?? null, pValue)}`,
          ]
            .map(cell)
            .join('')}</tr>`,
        );
      });
    }
    body.push('</table>');
  }
  for (const f of report.funnels) {
    body.push(`<h2>Funnel ${escapeHtml(f.steps.join(' → '))}</h2><p class="muted">${escapeHtml(`Units with each of the first k events after their first exposure, in any order (in parentheses the step's conversion from the step before); each step's reach compared on all units, ${level} intervals, Holm over the funnel's steps.`)}</p><table>`);
    body.push(head(['variant', 'units', ...f.steps.flatMap((step) => [step, 'reach lift, adj. p'])]));
    f.variants.forEach((v, i) => {
      const cells = f.steps.flatMap((_, k) => {
        const c = i === 0 ? undefined : f.reach[k]!.comparisons[i - 1];
        const lift = c?.absoluteLift ? `${signedPoints(c.absoluteLift.estimate)} pts [${signedPoints(c.absoluteLift.low)}, ${signedPoints(c.absoluteLift.high)}], ${orDash(c.adjustedPValue, pValue)}` : i === 0 ? 'control' : '—';
        return [`${count(v.reached[k]!)} (${orDash(v.stepConversion[k]!, (r) => percent(r, 1))})`, lift];
      });
      body.push(`<tr>${[v.name, count(v.units), ...cells].map(cell).join('')}</tr>`);
    });
    body.push('</table>');
  }
  if (report.ratios.length > 0) {
    body.push(`<h2>Ratios</h2><p class="muted">${escapeHtml(`Σ numerator / Σ denominator over each variant's units; delta method on units; ${level} intervals.`)}</p><table>`);
    body.push(head(['ratio', 'variant', 'units', 'numerator', 'denominator', 'ratio', `${level} CI`, 'rel. lift', 'p', 'always-valid p']));
    for (const r of report.ratios) {
      r.variants.forEach((v, i) => {
        const c = i === 0 ? undefined : r.comparisons[i - 1];
        body.push(
          `<tr>${[
            i === 0 ? `${valueLabel(r.numerator)} / ${valueLabel(r.denominator)}` : '',
            v.name,
            count(v.units),
            decimal(v.numerator, 2),
            decimal(v.denominator, 2),
            orDash(v.ratio, (n) => decimal(n, 4)),
            v.interval ? `[${decimal(v.interval.low, 4)}, ${decimal(v.interval.high, 4)}]` : '—',
            c?.relativeLift ? `${relative(c.relativeLift.estimate)} [${relative(c.relativeLift.low)}, ${relative(c.relativeLift.high)}]` : i === 0 ? 'control' : '—',
            orDash(c?.pValue ?? null, pValue),
            orDash(c?.sequential?.pValue ?? null, pValue),
          ]
            .map(cell)
            .join('')}</tr>`,
        );
      });
    }
    body.push('</table>');
  }
  return body;
}
