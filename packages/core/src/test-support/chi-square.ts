/**
 * Chi-square tests for the statistical tests of assignment: goodness of fit (is a split the
 * configured one?), independence (are two splits unrelated?) and one proportion (is a share
 * about what it should be?). Test support only; not exported by the package.
 */
import { chiSquareGoodnessOfFit, chiSquareSurvival } from '@bucketry/stats';

/** The outcome of a chi-square test. */
export interface ChiSquareResult {
  /** The chi-square statistic. */
  readonly statistic: number;
  readonly degreesOfFreedom: number;
  /** P(χ² ≥ statistic) under the null hypothesis. */
  readonly p: number;
}

// The statistics are analyze's (checked against SciPy there); core's tests get them through
// stricter wrappers that refuse inputs a test should never make (zero shares, fractional df).

/**
 * The upper-tail p-value of a chi-square statistic: Q(df/2, x/2).
 *
 * @example
 * ```ts
 * chiSquareUpperTail(3.841458820694124, 1);  // ≈ 0.05
 * ```
 */
export function chiSquareUpperTail(statistic: number, degreesOfFreedom: number): number {
  if (!Number.isInteger(degreesOfFreedom) || degreesOfFreedom < 1) {
    throw new RangeError(`degreesOfFreedom must be a positive integer, got ${degreesOfFreedom}`);
  }
  if (!(statistic >= 0)) throw new RangeError(`statistic must be >= 0, got ${statistic}`);
  return chiSquareSurvival(statistic, degreesOfFreedom);
}

/**
 * Pearson's goodness-of-fit test: do the observed counts fit the expected shares?
 * `expectedShares` are relative (they need not sum to 1).
 *
 * @example
 * ```ts
 * goodnessOfFit([5_020, 2_990, 1_990], [50, 30, 20]).p;  // well above 0.001
 * ```
 */
export function goodnessOfFit(observed: readonly number[], expectedShares: readonly number[]): ChiSquareResult {
  if (observed.length !== expectedShares.length || observed.length < 2) {
    throw new RangeError(`goodnessOfFit needs two or more categories and one share per category, got ${observed.length} and ${expectedShares.length}`);
  }
  const zero = expectedShares.findIndex((share) => !(share > 0));
  if (zero !== -1) throw new RangeError(`goodnessOfFit: category ${zero} has an expected share of ${expectedShares[zero]}`);
  const { chiSquare, df, pValue } = chiSquareGoodnessOfFit(observed, expectedShares);
  return { statistic: chiSquare, degreesOfFreedom: df, p: pValue };
}

/**
 * Pearson's test of independence on an r×c contingency table (no continuity correction).
 *
 * @example
 * ```ts
 * independence([[2_510, 2_490], [2_480, 2_520]]).p;  // well above 0.001: rows and columns unrelated
 * ```
 */
export function independence(table: readonly (readonly number[])[]): ChiSquareResult {
  const columns = table[0]?.length ?? 0;
  if (table.length < 2 || columns < 2 || table.some((row) => row.length !== columns)) {
    throw new RangeError('independence needs a rectangular table of at least 2×2');
  }
  const rowTotals = table.map((row) => row.reduce((sum, count) => sum + count, 0));
  const columnTotals = Array.from({ length: columns }, (_, j) => table.reduce((sum, row) => sum + row[j]!, 0));
  const total = rowTotals.reduce((sum, count) => sum + count, 0);
  let statistic = 0;
  table.forEach((row, i) =>
    row.forEach((count, j) => {
      const expected = (rowTotals[i]! * columnTotals[j]!) / total;
      if (!(expected > 0)) throw new RangeError(`independence: cell [${i}][${j}] has an expected count of ${expected}`);
      statistic += (count - expected) ** 2 / expected;
    }),
  );
  const degreesOfFreedom = (table.length - 1) * (columns - 1);
  return { statistic, degreesOfFreedom, p: chiSquareUpperTail(statistic, degreesOfFreedom) };
}

/**
 * Is `successes` out of `trials` consistent with a true share `share` (0–1)? The 1-df chi-square
 * test, the square of the two-sided binomial z-test; fine when trials × share is 30 or more.
 *
 * @example
 * ```ts
 * proportion(5_060, 100_000, 0.05).p;  // about 0.38: consistent with 5%
 * ```
 */
export function proportion(successes: number, trials: number, share: number): ChiSquareResult {
  if (!(share > 0 && share < 1)) throw new RangeError(`proportion: share must be between 0 and 1, got ${share}`);
  return goodnessOfFit([successes, trials - successes], [share, 1 - share]);
}
