import type { FunnelResult } from '../analysis/funnels.js';
import type { AnalysisReport } from '../analysis/report.js';
import type { RatioResult, ValueComparison, ValueMetricResult } from '../analysis/value-metrics.js';
import { valueLabel } from '../policy/value-spec.js';
import type { LiftInterval } from '@bucketry/stats';
import { count, decimal, decimalsFor, orDash, percent, pValue, signedPoints } from './numbers.js';
import { table } from './table.js';

const signed = (n: number, digits: number) => `${n > 0 ? '+' : ''}${decimal(n, digits)}`;
const range = (x: LiftInterval, show: (n: number) => string) => `[${show(x.low)}, ${show(x.high)}]`;
const relative = (r: number) => percent(r, 1, true);
/** A sum: a count with separators when whole, else to 2 decimals. */
const total = (n: number) => (Number.isInteger(n) ? count(n) : decimal(n, 2));

function comparisonLine(c: ValueComparison, what: string): string | undefined {
  if (c.difference === null) return undefined;
  const d = decimalsFor(c.difference.estimate);
  const rel = c.relativeLift === null ? '' : `, rel. ${relative(c.relativeLift.estimate)} ${range(c.relativeLift, relative)}`;
  const seq = c.sequential === null ? '' : `; always-valid p = ${pValue(c.sequential.pValue)}${c.sequential.relativeLift ? `, rel. ${range(c.sequential.relativeLift, relative)}` : ''}`;
  return `    ${c.treatment} vs ${c.control}, ${what}: ${signed(c.difference.estimate, d)} ${range(c.difference, (n) => signed(n, d))}${rel}, Welch t = ${decimal(c.t!, 2)}, df = ${decimal(c.df!, 1)}, p = ${pValue(c.pValue!)}${seq}`;
}

function valueSection(v: ValueMetricResult): string[] {
  const out = [`  ${valueLabel(v)}`];
  const show = (n: number | null) => orDash(n, (x) => decimal(x, decimalsFor(x)));
  out.push(
    ...table(
      [
        ['variant', 'units', 'with values', 'values', 'total per unit', 'mean per unit'],
        ...v.variants.map((x) => [x.name, count(x.units), count(x.unitsWithValues), count(x.values), show(x.sumPerUnit.mean), show(x.meanPerUnit.mean)]),
      ],
      '    ',
    ),
  );
  for (const c of v.comparisons.sumPerUnit) out.push(comparisonLine(c, 'total per unit') ?? `    ${c.treatment} vs ${c.control}, total per unit: too few units to compare`);
  for (const c of v.comparisons.meanPerUnit) out.push(comparisonLine(c, 'mean per unit') ?? `    ${c.treatment} vs ${c.control}, mean per unit: too few units to compare`);
  return out;
}

function ratioSection(r: RatioResult, confidence: string): string[] {
  const out = [`  ${valueLabel(r.numerator)} / ${valueLabel(r.denominator)}`];
  const show = (n: number) => decimal(n, 4);
  out.push(
    ...table(
      [
        ['variant', 'units', 'numerator', 'denominator', 'ratio', `${confidence} CI`],
        ...r.variants.map((v) => [v.name, count(v.units), total(v.numerator), total(v.denominator), orDash(v.ratio, show), v.interval ? range(v.interval, show) : '—']),
      ],
      '    ',
    ),
  );
  for (const c of r.comparisons) {
    if (c.difference === null) {
      out.push(`    ${c.treatment} vs ${c.control}: too few units to compare`);
      continue;
    }
    const rel = c.relativeLift === null ? '' : `, rel. ${relative(c.relativeLift.estimate)} ${range(c.relativeLift, relative)}`;
    const seq = c.sequential === null ? '' : `; always-valid p = ${pValue(c.sequential.pValue)}`;
    out.push(`    ${c.treatment} vs ${c.control}: ${signed(c.difference.estimate, 4)} ${range(c.difference, (n) => signed(n, 4))}${rel}, z = ${decimal(c.z!, 2)}, p = ${pValue(c.pValue!)}${seq}`);
  }
  return out;
}

function funnelSection(f: FunnelResult): string[] {
  const out = [`  ${f.steps.join(' → ')}`];
  out.push(
    ...table(
      [
        ['variant', 'units', ...f.steps],
        ...f.variants.map((v) => [v.name, count(v.units), ...v.reached.map((n, k) => `${count(n)} (${orDash(v.stepConversion[k]!, (r) => percent(r, 1))})`)]),
      ],
      '    ',
    ),
  );
  f.variants.slice(1).forEach((v, i) => {
    const steps = f.reach.map((step) => {
      const c = step.comparisons[i]!;
      if (c.absoluteLift === null) return `${step.name} —`;
      const adjusted = c.adjustedPValue === null ? 'n/a' : `${pValue(c.adjustedPValue)}${c.significant ? ' *' : ''}`;
      return `${step.name} ${signedPoints(c.absoluteLift.estimate)} pts ${range(c.absoluteLift, signedPoints)}, adj. p ${adjusted}`;
    });
    out.push(`    ${v.name} vs ${f.variants[0]!.name}, reach: ${steps.join('; ')}`);
  });
  return out;
}

/**
 * The text report's sections for numeric properties of events, ratios of them and funnels: empty
 * when there are none.
 */
export function valueSections(report: AnalysisReport): string[] {
  const out: string[] = [];
  const confidence = percent(report.confidence, 0);
  if (report.values.length > 0) {
    out.push(`Values (on units: each unit's total, and each unit's mean; Welch's test on units; ${confidence} intervals)`);
    for (const v of report.values) out.push(...valueSection(v));
    if (report.input.unattributedValues > 0) out.push(`  ${count(report.input.unattributedValues)} values of units not exposed to one variant by then left out`);
    out.push('');
  }
  if (report.funnels.length > 0) {
    out.push(`Funnels (units with each of the first k events after their first exposure, in any order; in parentheses the step's conversion from the step before; reach compared on all units, ${confidence} intervals, Holm over each funnel's steps)`);
    for (const f of report.funnels) out.push(...funnelSection(f));
    out.push('');
  }
  if (report.ratios.length > 0) {
    out.push(`Ratios (Σ numerator / Σ denominator over each variant's units; delta method on units; ${confidence} intervals)`);
    for (const r of report.ratios) out.push(...ratioSection(r, confidence));
    out.push('');
  }
  return out;
}
