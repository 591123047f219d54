import { ExperimentConfigError } from './errors.js';
import type { Experiment } from './experiment.js';

/**
 * Checks that experiments sharing a layer own disjoint slices of it, and that experiments
 * naming the same holdout agree on its size. {@link createBucketry} calls it; call it yourself
 * when you assign with {@link assignVariant} directly.
 *
 * @throws {@link ExperimentConfigError} naming both experiments
 * @example
 * ```ts
 * checkExperimentSet([
 *   defineExperiment({ key: 'hero_copy', variants: ['a', 'b'], layer: { name: 'home', range: [0, 50] } }),
 *   defineExperiment({ key: 'hero_image', variants: ['a', 'b'], layer: { name: 'home', range: [50, 100] } }),
 * ]);
 * ```
 */
export function checkExperimentSet(experiments: readonly Experiment[]): void {
  const keys = new Map<string, string>();
  const slices = new Map<string, Experiment[]>();
  const holdouts = new Map<string, Experiment>();
  for (const experiment of experiments) {
    // The cookie is exp_<key>, so unique keys already mean unique cookies; header names can still collide (a_b, a-b).
    for (const name of [experiment.key, experiment.header.toLowerCase()]) {
      const other = keys.get(name);
      if (other !== undefined) {
        throw new ExperimentConfigError('key', experiment.key, `must be unique; "${other}" already uses ${JSON.stringify(name)}`);
      }
      keys.set(name, experiment.key);
    }
    if (experiment.layer) {
      const inLayer = slices.get(experiment.layer.name) ?? [];
      for (const other of inLayer) {
        const [from, to] = experiment.layer.range;
        const [otherFrom, otherTo] = other.layer!.range;
        if (from < otherTo && otherFrom < to) {
          throw new ExperimentConfigError(
            'layer.range',
            experiment.layer.range,
            `must not overlap "${other.key}" [${otherFrom}, ${otherTo}) in layer "${experiment.layer.name}"`,
            experiment.key,
          );
        }
      }
      slices.set(experiment.layer.name, [...inLayer, experiment]);
    }
    if (experiment.holdout) {
      const other = holdouts.get(experiment.holdout.key);
      if (other && other.holdout!.percent !== experiment.holdout.percent) {
        throw new ExperimentConfigError(
          'holdout.percent',
          experiment.holdout.percent,
          `must equal ${other.holdout!.percent}, the size "${other.key}" gives holdout "${experiment.holdout.key}"`,
          experiment.key,
        );
      }
      holdouts.set(experiment.holdout.key, experiment);
    }
  }
}
