import type { RatioMoments } from './delta-method.js';
import type { SampleMoments } from './student-t.js';

/**
 * CUPED's regression adjustment of one treatment against control, from each arm's moments of the
 * outcome Y and of its pre-period covariate X.
 *
 * @example
 * ```ts
 * const { theta, control, treatment, varianceReduction } = cupedAdjustment(controlMoments, treatmentMoments)!;
 * welchTTest(control, treatment); // the adjusted means compared
 * ```
 */
export interface CupedAdjustment {
  /** θ = cov(Y, X) / var(X) over both arms' units pooled. */
  readonly theta: number;
  /** The pooled mean of X that the adjustment centres on. */
  readonly covariateMean: number;
  /** Each arm's adjusted values Y − θ(X − X̄): their count, mean and standard deviation. */
  readonly control: SampleMoments;
  readonly treatment: SampleMoments;
  /** 1 − Var(adjusted difference) / Var(unadjusted difference), each the sum of the arms' s²/n. */
  readonly varianceReduction: number;
}

/**
 * CUPED (Deng, Xu, Kohavi & Walker, 2013): each unit's outcome Y is replaced by
 * Y − θ(X − X̄), X the unit's pre-period covariate, θ = cov(Y, X)/var(X) estimated on both arms'
 * units pooled and X̄ their pooled mean. X comes from before the unit was exposed, so it is
 * independent of the assignment and the adjusted means stay unbiased; their variance shrinks by
 * about ρ²(X, Y). θ is treated as known, as usual: its estimation error is O(1/n).
 *
 * Works from moments alone: `meanX`, `varX` are the covariate's, `meanY`, `varY` the outcome's
 * and `covXY` theirs (sample (co)variances, n − 1). `undefined` when an arm has fewer than 2 units
 * or X does not vary over the pooled units (no θ exists; the unadjusted test stands).
 *
 * @example
 * ```ts
 * const c = { count: 500, sumX: 1000, sumY: 1500, meanX: 2, meanY: 3, varX: 4, varY: 9, covXY: 4.8 };
 * const t = { count: 500, sumX: 1010, sumY: 1600, meanX: 2.02, meanY: 3.2, varX: 4, varY: 9, covXY: 4.8 };
 * cupedAdjustment(c, t)!.theta; // ≈ 1.2
 * ```
 */
export function cupedAdjustment(control: RatioMoments, treatment: RatioMoments): CupedAdjustment | undefined {
  const nc = control.count;
  const nt = treatment.count;
  if (nc < 2 || nt < 2) return undefined;
  const n = nc + nt;
  // Pooled (co)moments of both arms as one sample: within-arm sums plus the between-arm term.
  const between = (nc * nt) / n;
  const dx = control.meanX - treatment.meanX;
  const sxx = (nc - 1) * control.varX + (nt - 1) * treatment.varX + between * dx * dx;
  const sxy = (nc - 1) * control.covXY + (nt - 1) * treatment.covXY + between * dx * (control.meanY - treatment.meanY);
  if (!(sxx > 0)) return undefined;
  const theta = sxy / sxx;
  const covariateMean = (control.sumX + treatment.sumX) / n;
  const adjust = (m: RatioMoments): SampleMoments => ({
    count: m.count,
    mean: m.meanY - theta * (m.meanX - covariateMean),
    // Var(Y − θX) = var Y + θ² var X − 2θ cov(X, Y); rounding can take a perfect fit just below 0.
    sd: Math.sqrt(Math.max(0, m.varY + theta * theta * m.varX - 2 * theta * m.covXY)),
  });
  const adjustedControl = adjust(control);
  const adjustedTreatment = adjust(treatment);
  const variance = (s: SampleMoments) => (s.sd * s.sd) / s.count;
  const unadjusted = control.varY / nc + treatment.varY / nt;
  const adjusted = variance(adjustedControl) + variance(adjustedTreatment);
  return { theta, covariateMean, control: adjustedControl, treatment: adjustedTreatment, varianceReduction: unadjusted > 0 ? 1 - adjusted / unadjusted : NaN };
}
