// Moments over units, from the per-unit sums of a series: every unit counts once, however many
// events it had.
import type { RatioMoments } from '@bucketry/stats';
import type { SampleMoments } from '@bucketry/stats';
import type { UnitTable } from './unit-table.js';
import type { UnitValues } from './unit-values.js';

/** Welford's running mean and sum of squared deviations. */
export class Running {
  count = 0;
  mean = 0;
  squares = 0;
  add(x: number): void {
    this.count++;
    const delta = x - this.mean;
    this.mean += delta / this.count;
    this.squares += delta * (x - this.mean);
  }
  get moments(): SampleMoments {
    return { count: this.count, mean: this.count > 0 ? this.mean : NaN, sd: this.count > 1 ? Math.sqrt(this.squares / (this.count - 1)) : NaN };
  }
}

/**
 * One variant's numbers of a series over its units.
 *
 * @example
 * ```ts
 * const [control, treatment] = unitTallies(table, values, cost, 2);
 * ```
 */
export interface ValueTallies {
  /** Units exposed to this variant alone. */
  readonly units: number;
  /** Values of those units. */
  readonly values: number;
  /** Each unit's total (0 for a unit without values): every unit counts. */
  readonly sums: SampleMoments;
  /** Each unit's mean value, over the units with values. */
  readonly means: SampleMoments;
}

/**
 * Per variant, over the units exposed to that variant alone, in one pass: how many, their values,
 * and the moments of each unit's total and of each unit's mean.
 *
 * @example
 * ```ts
 * const [control, treatment] = unitTallies(table, values, cost, 2);
 * treatment.sums.mean; // cost per unit
 * ```
 */
export function unitTallies(table: UnitTable, values: UnitValues, series: number, variantCount: number): ValueTallies[] {
  const sums = Array.from({ length: variantCount }, () => new Running());
  const means = Array.from({ length: variantCount }, () => new Running());
  const counts = new Array<number>(variantCount).fill(0);
  for (let row = 0; row < table.size; row++) {
    const variant = table.variantOf(row);
    if (variant < 0) continue;
    const count = values.count(series, row);
    const sum = values.sum(series, row);
    sums[variant]!.add(sum);
    if (count > 0) means[variant]!.add(sum / count);
    counts[variant]! += count;
  }
  return sums.map((s, v) => ({ units: s.count, values: counts[v]!, sums: s.moments, means: means[v]!.moments }));
}

/**
 * Per variant, the moments of two series' per-unit sums over every unit exposed to that variant
 * alone, for a ratio metric (numerator X, denominator Y): means, variances, covariance.
 *
 * @example
 * ```ts
 * const [control, treatment] = ratioMoments(table, values, hits, lookups, 2);
 * ```
 */
export function ratioMoments(table: UnitTable, values: UnitValues, numerator: number, denominator: number, variantCount: number): RatioMoments[] {
  return pairedMoments(table, variantCount, (row) => values.sum(numerator, row), (row) => values.sum(denominator, row));
}

/**
 * Per variant, the moments of two per-unit numbers X and Y over the units exposed to that variant
 * alone (and, with `include`, only those it accepts): means, variances, covariance.
 *
 * @example
 * ```ts
 * const [control, treatment] = pairedMoments(table, 2, (row) => prePeriodViews(row), (row) => views(row));
 * ```
 */
export function pairedMoments(table: UnitTable, variantCount: number, xOf: (row: number) => number, yOf: (row: number) => number, include?: (row: number) => boolean): RatioMoments[] {
  const acc = Array.from({ length: variantCount }, () => ({ n: 0, x: 0, y: 0, mx: 0, my: 0, sxx: 0, syy: 0, sxy: 0 }));
  for (let row = 0; row < table.size; row++) {
    const variant = table.variantOf(row);
    if (variant < 0 || (include !== undefined && !include(row))) continue;
    const a = acc[variant]!;
    const x = xOf(row);
    const y = yOf(row);
    a.n++;
    a.x += x;
    a.y += y;
    // Welford for two variables: the co-moment updates with the old x deviation and the new y mean.
    const dx = x - a.mx;
    a.mx += dx / a.n;
    const dy = y - a.my;
    a.my += dy / a.n;
    a.sxx += dx * (x - a.mx);
    a.syy += dy * (y - a.my);
    a.sxy += dx * (y - a.my);
  }
  return acc.map((a) => ({
    count: a.n,
    sumX: a.x,
    sumY: a.y,
    meanX: a.mx,
    meanY: a.my,
    varX: a.n > 1 ? a.sxx / (a.n - 1) : NaN,
    varY: a.n > 1 ? a.syy / (a.n - 1) : NaN,
    covXY: a.n > 1 ? a.sxy / (a.n - 1) : NaN,
  }));
}
