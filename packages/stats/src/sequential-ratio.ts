// An anytime-valid test that units arrive in the expected ratio (Lindon & Malek, "Anytime-Valid
// Inference for Multinomial Count Data", NeurIPS 2022; Optimizely's sequential SRM test). Under
// the null hypothesis each unit lands in variant i with the expected share θᵢ. The alternative
// puts a Dirichlet(α) prior on the shares, centred on θ (αᵢ = c·θᵢ). The Bayes factor of the
// counts n after N units,
//
//   BF = Γ(A)/Γ(A + N) · Πᵢ Γ(αᵢ + nᵢ)/Γ(αᵢ) / Πᵢ θᵢ^nᵢ,   A = Σαᵢ,
//
// is a nonnegative martingale under the null, so by Ville's inequality P(sup BF ≥ 1/α) ≤ α: the
// p-value min(1, 1/max BF so far) stays valid however often, and whenever, one looks.

import { logGamma } from './chi-square.js';

/**
 * The default prior concentration c (αᵢ = c·θᵢ): as much belief in the expected shares as 100
 * units would give. Smaller values react faster to large imbalances, larger ones to small
 * imbalances in long experiments.
 *
 * @example
 * ```ts
 * new SequentialRatioTest([90, 10], DEFAULT_RATIO_CONCENTRATION * 10); // slower to react, keener on small shifts
 * ```
 */
export const DEFAULT_RATIO_CONCENTRATION = 100;

/**
 * ln BF of counts against expected weights, from the closed form (see the top of this file). A
 * unit in a variant weighted 0 is impossible under the null: +∞.
 *
 * @example
 * ```ts
 * ratioLogBayesFactor([5100, 4900], [1, 1]); // -0.33: no evidence of a mismatch
 * ```
 */
export function ratioLogBayesFactor(counts: readonly number[], weights: readonly number[], concentration = DEFAULT_RATIO_CONCENTRATION): number {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let result = 0;
  let units = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i]!;
    const share = weights[i]! / total;
    if (share === 0) {
      if (n > 0) return Infinity;
      continue;
    }
    const alpha = concentration * share;
    result += logGamma(alpha + n) - logGamma(alpha) - n * Math.log(share);
    units += n;
  }
  return result + logGamma(concentration) - logGamma(concentration + units);
}

/**
 * The sequential test fed one unit at a time, in the order units arrived. O(1) per unit.
 *
 * @example
 * ```ts
 * const test = new SequentialRatioTest([90, 10]);
 * for (const variant of variantsInArrivalOrder) test.add(variant);
 * test.pValue; // anytime-valid
 * ```
 */
export class SequentialRatioTest {
  private readonly shares: number[];
  private readonly alphas: number[];
  private readonly counts: number[];
  private units = 0;
  private logBf = 0;
  private maxLogBf = 0;

  constructor(
    weights: readonly number[],
    readonly concentration = DEFAULT_RATIO_CONCENTRATION,
  ) {
    const total = weights.reduce((sum, w) => sum + w, 0);
    this.shares = weights.map((w) => w / total);
    this.alphas = this.shares.map((share) => concentration * share);
    this.counts = weights.map(() => 0);
  }

  /** One more unit, in `variant`. */
  add(variant: number): void {
    const share = this.shares[variant]!;
    // BF(n + eᵢ)/BF(n) = (αᵢ + nᵢ) / ((A + N)·θᵢ); a variant weighted 0 makes it infinite.
    this.logBf += share === 0 ? Infinity : Math.log(this.alphas[variant]! + this.counts[variant]!) - Math.log(this.concentration + this.units) - Math.log(share);
    this.counts[variant]!++;
    this.units++;
    if (this.logBf > this.maxLogBf) this.maxLogBf = this.logBf;
  }

  /** ln BF of the units so far. */
  get logBayesFactor(): number {
    return this.logBf;
  }

  /** min(1, 1/max BF): the anytime-valid p-value. */
  get pValue(): number {
    return Math.exp(-this.maxLogBf);
  }
}
