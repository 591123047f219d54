// How a guardrail on a relative change judges the change's bounds against its limit: the
// non-inferiority guardrails (either direction) and the relative-change guardrails on numeric
// properties say it the same way.
import { percent } from '../format/numbers.js';
import type { SequentialOptions } from './options.js';
import type { Outcome } from './outcome.js';

/** How the bounds were taken, as messages say it: "95% one-sided", or "always-valid 95%" when the always-valid tests decide. */
export const boundsLevel = (alpha: number, sequential: SequentialOptions | undefined): string =>
  sequential?.decides ? `always-valid ${percent(1 - alpha, 0)}` : `${percent(1 - alpha, 0)} one-sided`;

/**
 * The verdict on a change that must stay `below` the limit (or `above` it): proceed when the
 * bound on the far side is already on the right side (the upper bound below the limit), roll back
 * when even the near bound is on the wrong side, else hold. `value` is the bound that decides a
 * proceed; `why` says it, with the limit as `limitText`.
 *
 * @example
 * ```ts
 * judgeBounds(-0.31, -0.13, -0.1, '−10.0%', 'below'); // { outcome: 'proceed', value: -0.13, why: 'upper bound −13.0% < −10.0%' }
 * ```
 */
export function judgeBounds(lower: number, upper: number, limit: number, limitText: string, side: 'below' | 'above'): { outcome: Outcome; value: number; why: string } {
  const [low, high] = [percent(lower, 1, true), percent(upper, 1, true)];
  if (side === 'below') {
    if (upper < limit) return { outcome: 'proceed', value: upper, why: `upper bound ${high} < ${limitText}` };
    if (lower > limit) return { outcome: 'rollback', value: upper, why: `even the lower bound ${low} is above ${limitText}` };
    return { outcome: 'hold', value: upper, why: `upper bound ${high} is not below ${limitText} yet` };
  }
  if (lower > limit) return { outcome: 'proceed', value: lower, why: `lower bound ${low} > ${limitText}` };
  if (upper < limit) return { outcome: 'rollback', value: lower, why: `even the upper bound ${high} is below ${limitText}` };
  return { outcome: 'hold', value: lower, why: `lower bound ${low} is not above ${limitText} yet` };
}
