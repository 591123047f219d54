import { SEED_PURPOSE, seedFor } from './seed.js';
import { check, checkName, checkObject, checkUnknown, percentToBuckets } from './validate.js';

/**
 * An experiment's slice of a layer as written in a config. Experiments in one layer own
 * disjoint slices, so no unit is in two of them.
 *
 * @example
 * ```ts
 * const config: LayerConfig = { name: 'home', range: [0, 50] };
 * ```
 */
export interface LayerConfig {
  /** The layer's name; it seeds the layer's own hash. */
  readonly name: string;
  /** `[from, to)` in percent of the layer, 0–100. */
  readonly range: readonly [number, number];
}

/**
 * A validated layer slice, from {@link layerSlice}.
 *
 * @example
 * ```ts
 * const firstHalf: LayerSlice = layerSlice({ name: 'home', range: [0, 50] });
 * ```
 */
export interface LayerSlice extends LayerConfig {
  /** The seed of the layer's hash, shared by every experiment in the layer. */
  readonly seed: number;
  /** The slice in buckets: units with from <= bucket < to are in. */
  readonly from: number;
  readonly to: number;
}

/**
 * Validates an experiment's slice of a layer. The layer's hash depends only on its name, so
 * adding an experiment in free space moves nobody already in another slice. Unknown fields and
 * a range whose bounds round to the same bucket are refused.
 *
 * @example
 * ```ts
 * defineExperiment({ key: 'hero_copy', variants: ['a', 'b'], layer: layerSlice({ name: 'home', range: [0, 30] }) });
 * defineExperiment({ key: 'hero_image', variants: ['a', 'b'], layer: layerSlice({ name: 'home', range: [30, 60] }) });
 * ```
 */
export function layerSlice(config: LayerConfig): LayerSlice {
  checkObject('layer', config, '{ name, range: [from, to] }');
  const { name, range, ...unknown } = config;
  checkUnknown('layer', unknown);
  check(Array.isArray(range) && range.length === 2, 'layer.range', range, 'must be [from, to] in percent');
  const from = percentToBuckets('layer.range[0]', range[0]);
  const to = percentToBuckets('layer.range[1]', range[1]);
  // Compared in buckets, the grid assignment uses: bounds that round to one bucket make an empty slice.
  check(from < to, 'layer.range', range, 'must have from < to on the 0.0001% grid');
  return { name: checkName('layer.name', name), range, seed: seedFor(name, SEED_PURPOSE.layer), from, to };
}
