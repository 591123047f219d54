/**
 * Chi-square tests for the statistical tests of assignment: goodness of fit (is a split the
 * configured one?), independence (are two splits unrelated?) and one proportion (is a share
 * about what it should be?). Test support only; not exported by the package.
 */

/** The outcome of a chi-square test. */
export interface ChiSquareResult {
  /** The chi-square statistic. */
  readonly statistic: number;
  readonly degreesOfFreedom: number;
  /** P(χ² ≥ statistic) under the null hypothesis. */
  readonly p: number;
}

const EPSILON = 1e-15;
const TINY = 1e-300;
const MAX_ITERATIONS = 10_000;

// Lanczos approximation of ln Γ (g = 7, 9 terms): about 15 significant digits for x > 0.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x); // reflection
  const z = x - 1;
  let series = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) series += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(series);
}

/** e^-x x^a / Γ(a): the factor both expansions of the incomplete gamma share. */
const gammaPrefactor = (a: number, x: number): number => Math.exp(-x + a * Math.log(x) - logGamma(a));

/** P(a, x) by its power series; converges quickly for x < a + 1. */
function lowerGammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) return sum * gammaPrefactor(a, x);
  }
  throw new Error(`lowerGammaSeries did not converge for a=${a}, x=${x}`);
}

/** Q(a, x) by Legendre's continued fraction, evaluated with Lentz's method; for x ≥ a + 1. */
function upperGammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let fraction = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    fraction *= step;
    if (Math.abs(step - 1) < EPSILON) return fraction * gammaPrefactor(a, x);
  }
  throw new Error(`upperGammaContinuedFraction did not converge for a=${a}, x=${x}`);
}

/** The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a), for a > 0 and x ≥ 0. */
export function regularizedUpperGamma(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`regularizedUpperGamma needs a > 0 and x >= 0, got a=${a}, x=${x}`);
  if (x === 0) return 1;
  return x < a + 1 ? 1 - lowerGammaSeries(a, x) : upperGammaContinuedFraction(a, x);
}

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
  return regularizedUpperGamma(degreesOfFreedom / 2, statistic / 2);
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
  const total = observed.reduce((sum, count) => sum + count, 0);
  const shareTotal = expectedShares.reduce((sum, share) => sum + share, 0);
  let statistic = 0;
  observed.forEach((count, i) => {
    const expected = (total * expectedShares[i]!) / shareTotal;
    if (!(expected > 0)) throw new RangeError(`goodnessOfFit: category ${i} has an expected count of ${expected}`);
    statistic += (count - expected) ** 2 / expected;
  });
  const degreesOfFreedom = observed.length - 1;
  return { statistic, degreesOfFreedom, p: chiSquareUpperTail(statistic, degreesOfFreedom) };
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
