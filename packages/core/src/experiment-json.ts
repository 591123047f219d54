import { eligibilityRule, type EligibilityPredicate, type EligibilityRule } from './eligibility.js';
import { readConfig } from './config-reader.js';
import { ExperimentConfigError } from './errors.js';
import { defineExperiment, type Experiment, type ExperimentConfig } from './experiment.js';
import { defineHoldout, type HoldoutConfig } from './holdout.js';
import { layerSlice, type LayerConfig } from './layer.js';
import { checkObject, checkUnknown } from './validate.js';

/**
 * An experiment configuration as it lives in a JSON file: like {@link ExperimentConfig}, with
 * eligibility as a JSON rule (a predicate is accepted too) and holdout and layer as plain objects.
 *
 * @example
 * ```json
 * { "key": "skill_tree_layout", "variants": ["tree", "list"], "rollout": 10,
 *   "eligibility": { "region": { "in": ["eu"] } }, "holdout": { "key": "holdout_2026", "percent": 5 } }
 * ```
 */
export type ExperimentJSON<K extends string = string, V extends string = string> = Omit<
  ExperimentConfig<K, V>,
  'eligibility' | 'holdout' | 'layer'
> & {
  readonly eligibility?: EligibilityRule | EligibilityPredicate;
  readonly holdout?: HoldoutConfig;
  readonly layer?: LayerConfig;
};

/**
 * Defines an experiment from a configuration that lives in a file: a parsed JSON object, or the
 * JSON text itself. Eligibility rules go through {@link eligibilityRule}, the holdout through
 * {@link defineHoldout}, the layer through {@link layerSlice}; everything is validated as
 * {@link defineExperiment} does, and a field that is none of these is refused (at any level).
 * Whatever it is given, it returns an experiment or throws an {@link ExperimentConfigError}:
 * configurations past the limits of docs/spec.md §5.6 (nesting, size, string length, variants),
 * cycles, BigInts, and getters or Proxy traps that throw are refused, naming the field.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const skillTree = experimentFromJSON(readFileSync('experiments/skill_tree_layout.json', 'utf8'));
 * ```
 */
export function experimentFromJSON<const K extends string, const V extends string>(
  config: ExperimentJSON<K, V> | string,
): Experiment<K, V> {
  let parsed: ExperimentJSON<K, V>;
  try {
    parsed = typeof config === 'string' ? JSON.parse(config) : config;
  } catch (error) {
    throw new ExperimentConfigError('config', config, `must be valid JSON (${(error as Error).message})`);
  }
  // A plain copy within the limits of docs/spec.md §5.6: what follows can neither recurse past
  // them, nor loop over a huge sparse array, nor meet a getter or Proxy trap that throws.
  parsed = readConfig(parsed, '', 1) as ExperimentJSON<K, V>;
  checkObject('config', parsed, 'an object');
  // What is left once every field is taken out is unknown, and refused: a typo (`rolout`) in a
  // file is never ignored. (defineExperiment's type refuses unknown fields in code.)
  const { eligibility, holdout, layer, key, variants, weights, rollout, traffic, salt, trafficSalt, enabled, overrides, version, values, ...unknown } =
    parsed;
  checkUnknown('', unknown);
  return defineExperiment({
    ...parsed,
    eligibility: eligibility === undefined || typeof eligibility === 'function' ? eligibility : eligibilityRule(eligibility),
    holdout: holdout === undefined ? undefined : defineHoldout(holdout),
    layer: layer === undefined ? undefined : layerSlice(layer),
  });
}
