/**
 * What a check, and the analysis as a whole, recommends for the rollout.
 *
 * @example
 * ```ts
 * const exitCode = report.decision === 'proceed' ? 0 : 1;
 * ```
 */
export type Outcome = 'proceed' | 'hold' | 'rollback';

const SEVERITY: Record<Outcome, number> = { proceed: 0, hold: 1, rollback: 2 };

/**
 * The most severe of the outcomes; `proceed` when there are none.
 *
 * @example
 * ```ts
 * worstOutcome(['proceed', 'hold', 'proceed']); // 'hold'
 * ```
 */
export function worstOutcome(outcomes: Iterable<Outcome>): Outcome {
  let worst: Outcome = 'proceed';
  for (const outcome of outcomes) if (SEVERITY[outcome] > SEVERITY[worst]) worst = outcome;
  return worst;
}

/** Orders outcomes from the most severe. */
export const bySeverity = (a: Outcome, b: Outcome): number => SEVERITY[b] - SEVERITY[a];

/**
 * What a success metric significantly worse than control recommends: `hold` (the default) stops
 * the ramp until the cause is understood, `rollback` takes the treatment away.
 *
 * @example
 * ```ts
 * const onHarm: SignificantHarmOutcome = policy.onSignificantHarm ?? 'hold';
 * ```
 */
export type SignificantHarmOutcome = Exclude<Outcome, 'proceed'>;

export const isOutcome = (value: unknown): value is Outcome => value === 'proceed' || value === 'hold' || value === 'rollback';
