// A success metric is there to show the treatment helps; one that is significantly worse than
// control (after the Holm correction) is evidence of harm, and a ramp must not go on past it.
import { percent, pValue } from '../format/numbers.js';
import type { MetricComparison, MetricResult } from './metrics.js';
import type { Check } from './checks.js';

/**
 * What a success metric significantly worse than control recommends: `hold` (the default) stops
 * the ramp until the cause is understood, `rollback` takes the treatment away.
 *
 * @example
 * ```ts
 * const onHarm: SignificantHarmOutcome = policy.onSignificantHarm ?? 'hold';
 * ```
 */
export type SignificantHarmOutcome = 'hold' | 'rollback';

const OUTCOME_TEXT: Record<SignificantHarmOutcome, string> = { hold: 'hold until the cause is understood', rollback: 'roll back' };

/**
 * One check per success metric: it fails (with `onHarm` as its outcome) when a treatment's rate is
 * below control's and the difference is significant after the Holm correction (of the always-valid
 * p-values when `sequential`). Success metrics
 * are conversions where more is better; an event where fewer is better belongs in a guardrail
 * (`noninferior:<event>:<margin>:lower-is-better`).
 */
export function significantHarmChecks(metrics: readonly MetricResult[], onHarm: SignificantHarmOutcome, sequential = false): Check[] {
  // Judged by the always-valid tests when they decide, else by the fixed-horizon ones.
  const judged = (c: MetricComparison) => (sequential ? { significant: c.sequential?.significant ?? null, adjusted: c.sequential?.adjustedPValue ?? null } : { significant: c.significant, adjusted: c.adjustedPValue });
  const which = sequential ? 'always-valid Holm-adjusted p' : 'Holm-adjusted p';
  return metrics
    .filter((m) => m.role === 'success')
    .map((metric): Check => {
      const rate = (name: string) => metric.variants.find((v) => v.name === name)?.rate ?? null;
      const harmed = metric.comparisons.filter((c) => judged(c).significant === true && c.absoluteLift !== null && c.absoluteLift.estimate < 0);
      if (harmed.length === 0) {
        return { check: 'success-metric', status: 'pass', outcome: 'proceed', message: `Success metric ${metric.name}: no treatment significantly worse than control` };
      }
      const each = harmed.map((c) => {
        const relative = c.relativeLift === null ? '' : `, relative lift ${percent(c.relativeLift.estimate, 1, true)}`;
        return `${c.treatment} is significantly worse than control ${c.control} (${percent(rate(c.treatment)!)} vs ${percent(rate(c.control)!)}${relative}, ${which} = ${pValue(judged(c).adjusted!)})`;
      });
      return { check: 'success-metric', status: 'fail', outcome: onHarm, message: `Success metric ${metric.name}: ${each.join('; ')}: ${OUTCOME_TEXT[onHarm]}` };
    });
}
