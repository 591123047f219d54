import type { CupedMetric, CupedReport } from '../analysis/cuped.js';
import { MAX_UNIT_DURATION_EVENTS } from '../analysis/duration-tally.js';
import type { AnalysisReport } from '../analysis/report.js';
import type { SegmentMean, SegmentResult, SegmentSlice, SegmentWarning } from '../analysis/segments.js';
import { formatDuration } from '../policy/quantities.js';
import { count, counted, decimal, decimalsFor, millis, orDash, percent, pValue, signed, signedPoints } from './numbers.js';
import { table } from './table.js';

const range = (low: number, high: number, show: (n: number) => string) => `[${show(low)}, ${show(high)}]`;

/** A slice's name as the reports print it. */
export const sliceName = (slice: Pick<SegmentSlice, 'kind' | 'value'>): string => (slice.kind === 'value' ? slice.value! : slice.kind === 'not-set' ? '(not set)' : '(other values)');

/** A slice's first two cells in the segment tables: its name (marked when small) and its units per variant. */
export const sliceCells = (slice: SegmentSlice): [string, string] => [`${sliceName(slice)}${slice.small ? ' (small)' : ''}`, slice.units.map(count).join('/')];

/** A per-unit number's name: an event's mean duration, or a value metric's total (or count of events) per unit. */
const perUnitName = (kind: 'duration' | 'value', event: string, property: string | null): string =>
  kind === 'duration' ? `${event} (mean duration per unit)` : `${event}${property === null ? ' (count' : `.${property} (total`} per unit)`;

/** A segment warning in words. */
export function segmentWarningText(warning: SegmentWarning): string {
  switch (warning.code) {
    case 'small-slice':
      return `${sliceName(warning)}: ${counted(warning.smallestArm, 'unit')} in its smallest arm, under ${count(warning.minUnits)}: its comparisons are too noisy to read alone`;
    case 'slice-sample-ratio':
      return `${sliceName(warning)}: its units split off the expected weights (chi-square p = ${pValue(warning.pValue)}, below ${pValue(warning.threshold)}, the sample ratio threshold over the slices checked): its comparisons are suspect; is the value recorded differently per variant?`;
    case 'value-changed':
      return `${counted(warning.units, 'unit')} had exposures with different values: each is counted in its first exposure's slice`;
    case 'values-pooled':
      return `${counted(warning.exposures, 'exposure')} with values beyond the first ${warning.maxValues} distinct ones are pooled in "(other values)"`;
  }
}

/** How many success comparisons the segments' Holm family holds. */
export const segmentFamilySize = (segments: readonly SegmentResult[]): number =>
  segments.reduce((n, s) => n + s.slices.reduce((k, slice) => k + slice.metrics.reduce((j, m) => j + (m.role === 'success' ? m.comparisons.filter((c) => c.pValue !== null).length : 0), 0), 0), 0);

/** How a slice's per-unit mean (a value's total, a mean duration) or a difference of them reads, to decimals that suit `scale`. */
function meanShow(mean: SegmentMean, scale: number): (n: number) => string {
  return mean.kind === 'duration' ? millis : (n) => decimal(n, decimalsFor(scale));
}

/**
 * A slice's comparisons as table cells, one row per metric and treatment: metric, vs, the rates or
 * means (control → treatment), the difference, its interval, p and (success metrics) Holm's p.
 */
export function sliceRows(slice: SegmentSlice): string[][] {
  const rows: string[][] = [];
  for (const metric of slice.metrics) {
    metric.comparisons.forEach((c, i) => {
      const rates = `${orDash(metric.variants[0]!.rate, (r) => percent(r, 1))} → ${orDash(metric.variants[i + 1]!.rate, (r) => percent(r, 1))}`;
      const lift = c.absoluteLift === null ? ['—', '—'] : [`${signedPoints(c.absoluteLift.estimate)} pts`, range(c.absoluteLift.low, c.absoluteLift.high, signedPoints)];
      const adjusted = metric.role === 'success' ? (c.adjustedPValue === null ? 'n/a' : pValue(c.adjustedPValue) + (c.significant ? ' *' : '')) : '';
      rows.push([metric.name, c.treatment, rates, ...lift, c.pValue === null ? 'n/a' : pValue(c.pValue), adjusted]);
    });
  }
  for (const mean of slice.means) {
    const level = meanShow(mean, mean.means[0] ?? 0);
    const name = perUnitName(mean.kind, mean.event, mean.property);
    mean.comparisons.forEach((c, i) => {
      const levels = `${orDash(mean.means[0]!, level)} → ${orDash(mean.means[i + 1]!, level)}`;
      const show = signed(meanShow(mean, c.difference?.standardError ?? 0));
      const difference = c.difference === null ? ['—', '—'] : [show(c.difference.estimate), range(c.difference.low, c.difference.high, show)];
      rows.push([name, c.treatment, levels, ...difference, orDash(c.pValue, pValue), '']);
    });
  }
  return rows;
}

function segmentSection(segment: SegmentResult, variants: readonly string[], confidence: string): string[] {
  const rows: string[][] = [['slice', `units (${variants.join('/')})`, 'metric', 'vs', 'rates / means', 'difference', `${confidence} CI`, 'p', 'adj. p']];
  for (const slice of segment.slices) {
    const [name, units] = sliceCells(slice);
    const cells = sliceRows(slice);
    cells.forEach((row, k) => rows.push([k === 0 ? name : '', k === 0 ? units : '', ...row]));
    if (cells.length === 0) rows.push([name, units]);
  }
  return [`  ${segment.property}`, ...table(rows, '    '), ...segment.warnings.map((w) => `    ! ${segmentWarningText(w)}`)];
}

/** A CUPED metric's name: the event, and what of it is measured. */
export const cupedMetricName = (m: CupedMetric): string => (m.kind === 'conversion' ? `${m.event} (conversion)` : perUnitName(m.kind, m.event, m.property));

/** A difference on the metric's scale: points for a conversion, ms for durations, a number for values (decimals to suit its standard error). */
export function cupedDifference(kind: CupedMetric['kind'], standardError: number): (n: number) => string {
  if (kind === 'conversion') return (n) => `${signedPoints(n)} pts`;
  if (kind === 'duration') return signed(millis);
  const digits = decimalsFor(standardError);
  return (n) => `${n > 0 ? '+' : ''}${decimal(n, digits)}`;
}

/** What happened to the pre-exposure events, in words. */
export function prePeriodText(cuped: CupedReport): string {
  const e = cuped.prePeriodEvents;
  const parts = [
    `${count(e.inWindow)} in the window`,
    `${count(e.olderThanWindow)} older (left out)`,
    e.straddlingWindowStart > 0 && `${count(e.straddlingWindowStart)} left out with a stretch of events that began before the window`,
    e.resetUnits > 0 && `${counted(e.resetUnits, 'unit')} reset to X = 0 by an exposure read out of time order`,
    e.droppedDurations > 0 && `${counted(e.droppedDurations, 'duration')} of events beyond the first ${MAX_UNIT_DURATION_EVENTS} names left out`,
  ].filter((p): p is string => p !== false);
  return `pre-exposure events of exposed units: ${parts.join(', ')}`;
}

function cupedSection(cuped: CupedReport, confidence: string): string[] {
  const out = [
    `CUPED (covariate X: the same metric over each unit's events in the ${formatDuration(cuped.windowMs)} before its first exposure, 0 without any; θ = cov(Y, X)/var(X) pooled over both arms; Welch's test on Y − θ(X − X̄); ${confidence} intervals; beside the unadjusted tests, which decide)`,
  ];
  for (const m of cuped.metrics) {
    out.push(`  ${cupedMetricName(m)}: units with a pre-period ${m.variants.map((v) => `${count(v.unitsWithPrePeriod)} of ${count(v.units)}`).join(', ')} (${m.variants.map((v) => v.name).join(', ')})`);
    for (const c of m.comparisons) {
      if (c.difference === null) {
        out.push(`    ${c.treatment} vs ${c.control}: ${c.theta === null ? 'no adjustment: no unit of either arm had a pre-period' : 'too few units to compare'}`);
        continue;
      }
      const show = cupedDifference(m.kind, c.difference.standardError);
      const u = c.unadjustedDifference;
      const unadjusted = u === null ? '' : `; unadjusted ${show(u.estimate)} ${range(u.low, u.high, show)}, p = ${pValue(c.unadjustedPValue!)}`;
      const reduction = c.varianceReduction === null ? '' : `; variance reduced ${percent(c.varianceReduction, 1)}`;
      out.push(`    ${c.treatment} vs ${c.control}: adjusted ${show(c.difference.estimate)} ${range(c.difference.low, c.difference.high, show)}, Welch t = ${decimal(c.t!, 2)}, df = ${decimal(c.df!, 1)}, p = ${pValue(c.pValue!)}${unadjusted}; θ = ${decimal(c.theta!, 4)}${reduction}`);
    }
  }
  out.push(`  ${prePeriodText(cuped)}`);
  return out;
}

/** The text report's segment and CUPED sections: empty without them. */
export function segmentAndCupedSections(report: AnalysisReport): string[] {
  const out: string[] = [];
  const confidence = percent(report.confidence, 0);
  const variants = report.variants.map((v) => v.name);
  if (report.segments.length > 0) {
    out.push(
      `Segments (each unit in the slice of its first exposure's value; success metrics' p-values Holm-adjusted over ${counted(segmentFamilySize(report.segments), 'slice comparison')}; slices inform, the decision is the whole experiment's)`,
    );
    for (const segment of report.segments) out.push(...segmentSection(segment, variants, confidence));
    out.push('');
  }
  if (report.cuped !== null) out.push(...cupedSection(report.cuped, confidence), '');
  return out;
}
