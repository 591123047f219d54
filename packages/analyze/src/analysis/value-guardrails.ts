// Guardrails on an event's numeric property, judged on units: a level of the units' mean, and a
// bound on the relative change of the per-unit total (or mean) against control.
import { decimal, percent } from '../format/numbers.js';
import type { MeanGuardrail, RelativeChangeGuardrail } from '../policy/policy.js';
import { alwaysValidCritical } from '@bucketry/stats';
import { meanRelativeLift } from '@bucketry/stats';
import { normalQuantile } from '@bucketry/stats';
import { boundsLevel, judgeBounds } from './bound-verdict.js';
import type { GuardrailArm } from './guardrails.js';
import type { SequentialOptions } from './options.js';
import type { Outcome } from './outcome.js';
import type { ValueTallies } from './unit-moments.js';

/** A series' tallies per variant and how many values the export held, for value guardrails; `undefined` when it is not tracked. */
export type ValueLookup = (event: string, property: string) => { readonly tallies: readonly ValueTallies[]; readonly values: number } | undefined;

/** e.g. "mean llm_call.cost_usd per unit below 0.02 (rollback above 0.05)". */
export const meanGuardrailLabel = (g: MeanGuardrail): string => `mean ${g.event}.${g.property} per unit below ${decimal(g.hold, 6)} (rollback above ${decimal(g.rollback, 6)})`;

/** e.g. "llm_call.cost_usd per unit (total) at most −35.0% against control". */
export const relativeChangeLabel = (g: RelativeChangeGuardrail): string =>
  `${g.event}.${g.property} per unit (${g.statistic === 'mean' ? 'mean' : 'total'}) at most ${percent(g.max, 1, true)} against control`;

/** Each treatment's mean over units of the units' mean values, against the limits. */
export function meanArms(g: MeanGuardrail, variants: readonly string[], tallies: readonly ValueTallies[]): GuardrailArm[] {
  return variants.slice(1).map((variant, i): GuardrailArm => {
    const means = tallies[i + 1]!.means;
    if (means.count === 0) return { variant, outcome: 'hold', value: null, message: `${variant}: no ${g.event}.${g.property} values yet` };
    const outcome: Outcome = means.mean < g.hold ? 'proceed' : means.mean <= g.rollback ? 'hold' : 'rollback';
    return { variant, outcome, value: means.mean, message: `${variant}: mean ${decimal(means.mean, 6)} over ${means.count} units (each unit's mean)` };
  });
}

/**
 * Each treatment's relative change of the per-unit statistic: proceed when the one-sided upper
 * bound at α is below `max`, roll back when even the lower bound is above it, else hold. The
 * bounds are the delta-method interval's at 1 − 2α, or, when the always-valid tests decide, the
 * confidence sequence's at 1 − α (each holds at every look with probability 1 − α at least).
 */
export function relativeChangeArms(g: RelativeChangeGuardrail, variants: readonly string[], tallies: readonly ValueTallies[], sequential: SequentialOptions | undefined): GuardrailArm[] {
  const alpha = g.alpha ?? 0.05;
  const pick = (t: ValueTallies) => (g.statistic === 'mean' ? t.means : t.sums);
  const level = boundsLevel(alpha, sequential);
  return variants.slice(1).map((variant, i): GuardrailArm => {
    const arm = `${variant} vs ${variants[0]}`;
    const control = pick(tallies[0]!);
    const treatment = pick(tallies[i + 1]!);
    const units = control.count + treatment.count;
    const z = sequential?.decides ? alwaysValidCritical(units, alpha, sequential.spread) : normalQuantile(1 - alpha);
    const lift = meanRelativeLift(control, treatment, z);
    if (lift === undefined || !(lift.standardError >= 0)) {
      return { variant, outcome: 'hold', value: null, message: `${arm}: too few units to judge (control's mean is 0, or an arm has under 2 units)` };
    }
    const { outcome, value, why } = judgeBounds(lift.low, lift.high, g.max, percent(g.max, 1, true), 'below');
    return { variant, outcome, value, message: `${arm}: relative change ${percent(lift.estimate, 1, true)}, ${level} ${why}` };
  });
}
