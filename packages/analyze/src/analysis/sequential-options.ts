import { DEFAULT_SEQUENTIAL_HORIZON, mixtureSpread } from '@bucketry/stats';

/**
 * How the always-valid tests run: whether they decide, the units n* near which their sequences
 * are narrowest, and the mixing spread ρ² that follows from n* and α = 1 − confidence.
 *
 * @example
 * ```ts
 * resolveOptions({ experiment: 'x', variants: ['a', 'b'], sequential: true }).sequential; // { decides: true, horizon: 10000, spread: 7.9362e-4 }
 * ```
 */
export interface SequentialOptions {
  readonly decides: boolean;
  readonly horizon: number;
  readonly spread: number;
}

/** {@link SequentialOptions} at a confidence level: not deciding, and tuned for `horizon` units unless given. */
export const sequentialOptions = (confidence: number, decides = false, horizon = DEFAULT_SEQUENTIAL_HORIZON): SequentialOptions => ({
  decides,
  horizon,
  spread: mixtureSpread(1 - confidence, horizon),
});
