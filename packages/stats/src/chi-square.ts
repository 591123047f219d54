// The chi-square distribution's upper tail through the regularized incomplete gamma function,
// and Pearson's goodness-of-fit test built on it.

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** P(a, x) by its power series; converges quickly for x < a + 1. */
function lowerGammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < 10_000; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Q(a, x) by its continued fraction (modified Lentz); converges quickly for x ≥ a + 1. */
function upperGammaFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let f = d;
  for (let n = 1; n < 10_000; n++) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * f;
}

/** Q(a, x) = Γ(a, x)/Γ(a), the regularized upper incomplete gamma function. */
export function regularizedUpperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x < a + 1) return 1 - lowerGammaSeries(a, x);
  return upperGammaFraction(a, x);
}

/**
 * P(X ≥ x) for X ~ χ²(df): the p-value of a chi-square statistic.
 *
 * @example
 * ```ts
 * chiSquareSurvival(3.841459, 1); // ≈ 0.05
 * ```
 */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chiSquareSurvival: df is ${df}, must be > 0`);
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  return regularizedUpperGamma(df / 2, x / 2);
}

/**
 * What {@link chiSquareGoodnessOfFit} returns.
 *
 * @example
 * ```ts
 * const { chiSquare, df, pValue } = chiSquareGoodnessOfFit([9050, 950], [90, 10]);
 * ```
 */
export interface GoodnessOfFit {
  /** Pearson's χ² = Σ (O − E)² / E over the categories with a non-zero expectation. */
  readonly chiSquare: number;
  /** Degrees of freedom: categories with a non-zero weight, minus one (0 when one category is all there is, and p is 1). */
  readonly df: number;
  /** Upper-tail probability; 0 when a zero-weight category has observations. */
  readonly pValue: number;
  /** The expected counts, N·wᵢ/Σw. */
  readonly expected: readonly number[];
}

/**
 * Pearson's chi-square goodness-of-fit test of observed counts against expected weights.
 *
 * A category with weight 0 expects nothing: any observation there is an impossible outcome,
 * reported as χ² = ∞ and p = 0.
 *
 * @example
 * ```ts
 * chiSquareGoodnessOfFit([9050, 950], [90, 10]); // { chiSquare: 2.7778, df: 1, pValue: 0.0956, ... }
 * ```
 */
export function chiSquareGoodnessOfFit(observed: readonly number[], weights: readonly number[]): GoodnessOfFit {
  if (observed.length !== weights.length) {
    throw new RangeError(`chiSquareGoodnessOfFit: ${observed.length} observed counts but ${weights.length} weights`);
  }
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  if (!(totalWeight > 0) || weights.some((w) => !(w >= 0))) {
    throw new RangeError(`chiSquareGoodnessOfFit: weights ${JSON.stringify(weights)} must be >= 0 and not all 0`);
  }
  const n = observed.reduce((sum, o) => sum + o, 0);
  const expected = weights.map((w) => (n * w) / totalWeight);
  let chiSquare = 0;
  let categories = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = expected[i]!;
    const o = observed[i]!;
    if (weights[i] === 0) {
      if (o > 0) chiSquare = Infinity;
      continue;
    }
    categories++;
    if (e > 0) chiSquare += ((o - e) * (o - e)) / e;
  }
  const df = Math.max(categories - 1, 0);
  const pValue = chiSquare === Infinity ? 0 : n === 0 || categories < 2 ? 1 : chiSquareSurvival(chiSquare, df);
  return { chiSquare, df, pValue, expected };
}
