import { ExperimentConfigError, errorText } from './errors.js';
import type { Experiment } from './experiment.js';
import { experimentFromJSON, type ExperimentJSON } from './experiment-json.js';
import { checkExperimentSet } from './experiment-set.js';
import { xxhash32 } from './xxhash32.js';

/**
 * A validated set of experiments, as the client holds it: replaced whole, never changed in place,
 * so an assignment sees one set or the next, never a mix.
 * @internal
 */
export interface LiveSet<E extends Experiment> {
  readonly experiments: readonly E[];
  readonly byKey: ReadonlyMap<string, E>;
  /** 8 hex digits from every experiment's key and version: it changes whenever the content does. */
  readonly version: string;
}

/**
 * Defines every config (JSON ones included), checks the set as a whole and, when it replaces
 * `previous`, that it drops none of its experiments (code may still ask for them: kill one with
 * `enabled: false` instead). Throws {@link ExperimentConfigError} with the path of the bad field,
 * such as `experiments[1].weights[0]`, also when a getter or Proxy trap throws while the set is read;
 * nothing is half-applied.
 * @internal
 */
export function prepareSet<E extends Experiment>(configs: unknown, previous?: LiveSet<E>): LiveSet<E> {
  // Where a read fails: '' while the array itself is read, `[i]` while its item i is.
  let at = '';
  let experiments: E[];
  try {
    if (!Array.isArray(configs)) throw new ExperimentConfigError('experiments', configs, 'must be an array of experiments or experiment configs');
    experiments = configs.map((config: E | ExperimentJSON, i) => {
      at = `[${i}]`;
      const defined = config !== null && typeof config === 'object' && 'plan' in config;
      // A copy of a defined experiment ({ ...experiment, enabled: false }) carries the original's
      // precomputed plan, which its changed fields would not reach: refused, not silently ignored.
      // Only defineExperiment's own result is frozen.
      if (defined && !Object.isFrozen(config)) {
        throw new ExperimentConfigError('', config, 'must be defined again, not a copy of an experiment (its plan ignores the changes)');
      }
      const experiment = (defined ? config : experimentFromJSON(config)) as E;
      at = '';
      return experiment;
    });
  } catch (error) {
    // A getter or Proxy trap of the array or of an item (the `in` check reads one) threw.
    if (!(error instanceof ExperimentConfigError)) {
      throw new ExperimentConfigError(`experiments${at}`, error, `could not be read: a getter or Proxy trap threw ${errorText(error)}`);
    }
    if (!at) throw error;
    // A field that is not an identifier already starts with its brackets: `["a-b"]`; '' is the item itself.
    const field = error.field === '' ? '' : `${error.field[0] === '[' ? '' : '.'}${error.field}`;
    throw new ExperimentConfigError(`experiments${at}${field}`, error.value, error.rule);
  }
  checkExperimentSet(experiments);
  const byKey = new Map<string, E>(experiments.map((e) => [e.key, e]));
  for (const key of previous?.byKey.keys() ?? []) {
    if (!byKey.has(key)) throw new ExperimentConfigError('experiments', key, 'must keep every experiment in force; set enabled: false to stop one');
  }
  const version = xxhash32(experiments.map((e) => `${e.key}@${e.version}`).sort().join()).toString(16).padStart(8, '0');
  return { experiments, byKey, version };
}
