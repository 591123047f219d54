// Guardrails on an event's numeric property, judged on units: a level of the units' mean, and a
// bound on the relative change of the per-unit total (or mean) against control.
import type { MeanGuardrail, RelativeChangeGuardrail } from '../policy/policy.js';
import { alwaysValidCritical } from '@bucketry/stats';
import { meanRelativeLift } from '@bucketry/stats';
import { normalQuantile } from '@bucketry/stats';
import { judgeBounds, relativeLimit } from './bound-verdict.js';
import { notJudged, type GuardrailArm } from './guardrail-arm.js';
import type { SequentialOptions } from './sequential-options.js';
import type { Outcome } from '../policy/outcome.js';
import type { ValueTallies } from './unit-moments.js';

/** A series' tallies per variant and how many values the export held, for value guardrails; `undefined` when it is not tracked. */
export type ValueLookup = (event: string, property: string) => { readonly tallies: readonly ValueTallies[]; readonly values: number } | undefined;

/** Each treatment's mean over units of the units' mean values, against the limits. */
export function meanArms(g: MeanGuardrail, variants: readonly string[], tallies: readonly ValueTallies[]): GuardrailArm[] {
  return variants.slice(1).map((variant, i): GuardrailArm => {
    const means = tallies[i + 1]!.means;
    if (means.count === 0) return notJudged(variant, 'no-values');
    const outcome: Outcome = means.mean < g.hold ? 'proceed' : means.mean <= g.rollback ? 'hold' : 'rollback';
    return { variant, outcome, value: means.mean, reading: { kind: 'mean', mean: means.mean, units: means.count } };
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
  return variants.slice(1).map((variant, i): GuardrailArm => {
    const control = pick(tallies[0]!);
    const treatment = pick(tallies[i + 1]!);
    const units = control.count + treatment.count;
    const z = sequential?.decides ? alwaysValidCritical(units, alpha, sequential.spread) : normalQuantile(1 - alpha);
    const lift = meanRelativeLift(control, treatment, z);
    if (lift === undefined || !(lift.standardError >= 0)) return notJudged(variant, 'too-few-units');
    const { limit, side } = relativeLimit(g);
    const { outcome, value } = judgeBounds(lift.low, lift.high, limit, side);
    return { variant, outcome, value, reading: { kind: 'bounds', estimate: lift.estimate, lower: lift.low, upper: lift.high, alpha, alwaysValid: sequential?.decides === true } };
  });
}
