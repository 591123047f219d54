// How much more a percentile's count moves when a unit's values come together: the design effect
// of the count of values below a quantile, estimated on a sample of whole units.

/**
 * Sampled values grouped by unit, once per series: each value's unit (0 … units − 1) and each
 * unit's variant.
 *
 * @example
 * ```ts
 * const grouped = groupByUnit(sample.rows, (row) => table.variantOf(row));
 * ```
 */
export interface SampleUnits {
  /** Per value, its unit's index. */
  readonly unitOf: Int32Array;
  /** Per unit, its variant (negative: in none, or several). */
  readonly variantOf: Int32Array;
}

/** Groups the sampled values' unit rows (see UnitSample). */
export function groupByUnit(rows: Int32Array, variantOfRow: (row: number) => number): SampleUnits {
  const index = new Map<number, number>();
  const unitOf = new Int32Array(rows.length);
  const variants: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    let unit = index.get(row);
    if (unit === undefined) {
      index.set(row, (unit = variants.length));
      variants.push(variantOfRow(row));
    }
    unitOf[i] = unit;
  }
  return { unitOf, variantOf: Int32Array.from(variants) };
}

/**
 * D = Σᵢ(Sᵢ − F·Nᵢ)² / (F(1 − F)·ΣNᵢ) · n/(n − 1) over the n sampled units of a variant, Nᵢ a
 * unit's values and Sᵢ those below the q-quantile `threshold` (values equal to it shared out so
 * that F = ΣS/ΣN comes as near q as they allow): the cluster-robust variance of the share F (the
 * delta method for a ratio of sums, Deng, Knoblich, Lu, KDD 2018) over its binomial variance. About
 * 1 when every unit has one value; up to a unit's value count when its values are all alike.
 * Never below 1 here (a sample estimate below it would narrow the interval on noise); 1 with no
 * spread or no sampled unit, and ∞ with a single one (the interval is then the range of its values).
 *
 * @example
 * ```ts
 * quantileDesignEffect(groupByUnit(sample.rows, (row) => table.variantOf(row)), sample.values, 1, 0.95, p95);
 * ```
 */
export function quantileDesignEffect(sample: SampleUnits, values: Float64Array, variant: number, q: number, threshold: number): number {
  const unitCount = sample.variantOf.length;
  const n = new Float64Array(unitCount);
  const belowOf = new Float64Array(unitCount);
  const tiesOf = new Float64Array(unitCount);
  let total = 0;
  let below = 0;
  let ties = 0;
  for (let i = 0; i < values.length; i++) {
    const unit = sample.unitOf[i]!;
    if (sample.variantOf[unit] !== variant) continue;
    n[unit]!++;
    total++;
    const value = values[i]!;
    if (value < threshold) {
      belowOf[unit]!++;
      below++;
    } else if (value === threshold) {
      tiesOf[unit]!++;
      ties++;
    }
  }
  let units = 0;
  for (let u = 0; u < unitCount; u++) if (n[u]! > 0) units++;
  // One unit says nothing about how its values relate to other units': the interval is then all its values.
  if (units === 1) return Infinity;
  if (units === 0) return 1;
  const share = Math.min(Math.max(q, below / total), (below + ties) / total);
  const part = ties > 0 ? (share * total - below) / ties : 0;
  if (!(share > 0 && share < 1)) return 1;
  let squares = 0;
  for (let u = 0; u < unitCount; u++) if (n[u]! > 0) squares += (belowOf[u]! + part * tiesOf[u]! - share * n[u]!) ** 2;
  return Math.max(1, ((squares / (share * (1 - share) * total)) * units) / (units - 1));
}
