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
  const keys = new Map<string, number>();
  const slices = new Map<string, Experiment[]>();
  const holdouts = new Map<string, Experiment>();
  experiments.forEach((experiment, i) => {
    // Header and cookie names are the HTTP layer's: @bucketry/http checks that they are unique.
    const first = keys.get(experiment.key);
    if (first !== undefined) throw new ExperimentConfigError('key', experiment.key, `must be unique; experiments[${first}] has it too`, `experiments[${i}]`);
    keys.set(experiment.key, i);
    if (experiment.layer) {
      const inLayer = slices.get(experiment.layer.name) ?? [];
      for (const other of inLayer) {
        // Slices are compared on the bucket grid that assignment uses (docs/spec.md §5.1).
        const { from, to } = experiment.layer;
        if (from < other.layer!.to && other.layer!.from < to) {
          const [otherFrom, otherTo] = other.layer!.range;
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
      if (other && other.holdout!.buckets !== experiment.holdout.buckets) {
        throw new ExperimentConfigError(
          'holdout.percent',
          experiment.holdout.percent,
          `must equal ${other.holdout!.percent}, the size "${other.key}" gives holdout "${experiment.holdout.key}"`,
          experiment.key,
        );
      }
      holdouts.set(experiment.holdout.key, experiment);
    }
  });
}
