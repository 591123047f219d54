// How a guardrail on a relative change judges the change's bounds against its limit: the
// non-inferiority guardrails (either direction) and the relative-change guardrails on numeric
// properties judge it the same way (format/guardrail-text.ts words it).
import type { Outcome } from '../policy/outcome.js';
import type { NonInferiorityGuardrail, RelativeChangeGuardrail } from '../policy/policy.js';

/**
 * The limit a guardrail judges a relative change against, and the side the change must stay on:
 * a relative-change guardrail's `max` (below it); a non-inferiority guardrail's margin, below
 * +margin when lower is better (errors), else above −margin.
 *
 * @example
 * ```ts
 * relativeLimit({ type: 'non-inferiority', metric: 'signup', margin: 0.05 }); // { limit: -0.05, side: 'above' }
 * ```
 */
export function relativeLimit(g: NonInferiorityGuardrail | RelativeChangeGuardrail): { limit: number; side: 'below' | 'above' } {
  if (g.type === 'relative-change') return { limit: g.max, side: 'below' };
  return g.direction === 'lower-is-better' ? { limit: g.margin, side: 'below' } : { limit: -g.margin, side: 'above' };
}

/**
 * The verdict on a change that must stay `below` the limit (or `above` it): proceed when the
 * bound on the far side is already on the right side (the upper bound below the limit), roll back
 * when even the near bound is on the wrong side, else hold. `value` is the bound that decides a
 * proceed.
 *
 * @example
 * ```ts
 * judgeBounds(-0.31, -0.13, -0.1, 'below'); // { outcome: 'proceed', value: -0.13 }
 * ```
 */
export function judgeBounds(lower: number, upper: number, limit: number, side: 'below' | 'above'): { outcome: Outcome; value: number } {
  if (side === 'below') return { outcome: upper < limit ? 'proceed' : lower > limit ? 'rollback' : 'hold', value: upper };
  return { outcome: lower > limit ? 'proceed' : upper < limit ? 'rollback' : 'hold', value: lower };
}
