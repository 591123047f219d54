import { assignVariant, type Experiment } from '@bucketry/core';

/**
 * The first unit `user-1`, `user-2`, … that `experiment` gives `variant` (skipping the first
 * `skip` such units). Tests pick their users this way, computed by the engine, never
 * hard-coded, so they stay right whatever the experiment's rollout.
 */
export function unitWithVariant(experiment: Experiment, variant: string, { skip = 0 } = {}): string {
  if (!experiment.variants.includes(variant)) throw new Error(`${experiment.key} has no variant ${JSON.stringify(variant)}`);
  for (let i = 1, found = 0; i <= 100_000; i++) {
    const unit = `user-${i}`;
    if (assignVariant(experiment, unit).variant === variant && found++ === skip) return unit;
  }
  throw new Error(`no unit among user-1..user-100000 gets ${experiment.key}=${variant}`);
}
