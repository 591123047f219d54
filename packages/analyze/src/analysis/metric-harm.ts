// A success metric is there to show the treatment helps; one that is significantly worse than
// control (after the Holm correction) is evidence of harm, and a ramp must not go on past it.
import type { MetricComparison, MetricResult } from './metrics.js';
import type { Check, HarmedComparison } from './checks.js';
import type { SignificantHarmOutcome } from '../policy/outcome.js';

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
  return metrics
    .filter((m) => m.role === 'success')
    .map((metric): Check => {
      const rate = (name: string) => metric.variants.find((v) => v.name === name)!.rate!;
      const harmed = metric.comparisons
        .filter((c) => judged(c).significant === true && c.absoluteLift !== null && c.absoluteLift.estimate < 0)
        .map(
          (c): HarmedComparison => ({
            treatment: c.treatment,
            control: c.control,
            treatmentRate: rate(c.treatment),
            controlRate: rate(c.control),
            relativeLift: c.relativeLift === null ? null : c.relativeLift.estimate,
            adjustedPValue: judged(c).adjusted!,
          }),
        );
      const verdict = harmed.length === 0 ? ({ status: 'pass', outcome: 'proceed' } as const) : ({ status: 'fail', outcome: onHarm } as const);
      return { check: 'success-metric', ...verdict, metric: metric.name, alwaysValid: sequential, harmed };
    });
}
