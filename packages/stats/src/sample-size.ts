import { normalQuantile } from './normal.js';

/**
 * What {@link sampleSizePerVariant} takes.
 *
 * @example
 * ```ts
 * const options: SampleSizeOptions = { baseline: 0.1, mde: 0.05, relative: true };
 * ```
 */
export interface SampleSizeOptions {
  /** Control's conversion rate, 0 < p < 1. */
  readonly baseline: number;
  /** The smallest effect worth detecting: absolute (0.01 = one point) unless `relative`. */
  readonly mde: number;
  /** Read `mde` as relative to the baseline (0.05 = +5%). Default false. */
  readonly relative?: boolean;
  /** Two-sided significance level. Default 0.05. */
  readonly alpha?: number;
  /** Probability of detecting the effect when it is there. Default 0.8. */
  readonly power?: number;
  /** Arms including control. With more than 2, α is split over the comparisons with control (Bonferroni). Default 2. */
  readonly variants?: number;
  /** Traffic shares per arm, control first (e.g. [90, 10]). Default equal. */
  readonly weights?: readonly number[];
}

/**
 * What {@link sampleSizePerVariant} returns.
 *
 * @example
 * ```ts
 * sampleSizePerVariant({ baseline: 0.1, mde: 0.05, relative: true }).perVariant; // [57760, 57760]
 * ```
 */
export interface SampleSize {
  /** Units needed in each arm, control first. */
  readonly perVariant: readonly number[];
  /** All arms together. */
  readonly total: number;
  /** The treatment's rate the test is powered for. */
  readonly treatmentRate: number;
  /** The per-comparison α after the Bonferroni split. */
  readonly comparisonAlpha: number;
}

function check(field: string, value: number, low: number, high: number): void {
  if (!(value > low && value < high)) throw new RangeError(`${field} is ${value}, must be between ${low} and ${high} (exclusive)`);
}

/**
 * Units per arm for a two-sided two-proportion test:
 * N = (z_{1−α/2} + z_{1−β})² · [p₁(1−p₁)/w_C + p₂(1−p₂)/w_T] / (p₂ − p₁)², arm i gets N·wᵢ
 * (with equal weights: n = (z_{1−α/2} + z_{1−β})²·[p₁(1−p₁) + p₂(1−p₂)]/(p₂ − p₁)² per arm).
 *
 * @example
 * ```ts
 * sampleSizePerVariant({ baseline: 0.10, mde: 0.05, relative: true }).perVariant; // [57760, 57760]
 * ```
 */
export function sampleSizePerVariant(options: SampleSizeOptions): SampleSize {
  const { baseline, mde, relative = false, alpha = 0.05, power = 0.8, variants = 2 } = options;
  check('baseline', baseline, 0, 1);
  check('alpha', alpha, 0, 1);
  check('power', power, 0, 1);
  if (!Number.isInteger(variants) || variants < 2) throw new RangeError(`variants is ${variants}, must be a whole number >= 2`);
  if (!Number.isFinite(mde) || mde === 0) throw new RangeError(`mde is ${mde}, must be a non-zero number`);
  const treatmentRate = relative ? baseline * (1 + mde) : baseline + mde;
  if (!(treatmentRate > 0 && treatmentRate < 1)) {
    throw new RangeError(`mde is ${mde}: the treatment rate ${treatmentRate} must be between 0 and 1`);
  }
  const weights = options.weights ?? new Array<number>(variants).fill(1);
  if (weights.length !== variants || weights.some((w) => !(w > 0 && Number.isFinite(w)))) {
    throw new RangeError(`weights is ${JSON.stringify(weights)}, must be ${variants} numbers > 0, control first`);
  }
  const comparisonAlpha = alpha / (variants - 1);
  const zz = normalQuantile(1 - comparisonAlpha / 2) + normalQuantile(power);
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  const share = weights.map((w) => w / totalWeight);
  const controlShare = share[0]!;
  const delta2 = (treatmentRate - baseline) ** 2;
  // Each comparison pairs control with one treatment; the arms must be big enough for the worst one.
  let total = 0;
  for (let i = 1; i < variants; i++) {
    const pairShare = controlShare + share[i]!;
    const wC = controlShare / pairShare;
    const wT = share[i]! / pairShare;
    const pairUnits = (zz * zz * (baseline * (1 - baseline) / wC + treatmentRate * (1 - treatmentRate) / wT)) / delta2;
    total = Math.max(total, pairUnits / pairShare);
  }
  // Rounded up, after shaving floating-point noise (57,760.000000001 is 57,760).
  const perVariant = share.map((s) => Math.ceil(total * s - 1e-9));
  return { perVariant, total: perVariant.reduce((sum, n) => sum + n, 0), treatmentRate, comparisonAlpha };
}
