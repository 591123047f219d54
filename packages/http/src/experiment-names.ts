import { invalidOption } from './option-error.js';

/**
 * The response header that carries an experiment's variant (docs/spec.md §5.3): `X-Experiment`,
 * then for each part of the key split on `_` and `-` (not on `.`), `-` and the part with its first
 * character upper-cased. Header names are case-insensitive; adapters write this spelling.
 *
 * @example
 * ```ts
 * experimentHeaderName('skill_tree_layout');    // 'X-Experiment-Skill-Tree-Layout'
 * experimentHeaderName('checkout.v2-new_flow'); // 'X-Experiment-Checkout.v2-New-Flow'
 * ```
 */
export const experimentHeaderName = (key: string): string =>
  'X-Experiment' + key.split(/[_-]/).map((part) => '-' + part.charAt(0).toUpperCase() + part.slice(1)).join('');

/**
 * The cookie that mirrors an experiment's variant (docs/spec.md §5.3): `exp_` and the key.
 *
 * @example
 * ```ts
 * experimentCookieName('skill_tree_layout'); // 'exp_skill_tree_layout'
 * ```
 */
export const experimentCookieName = (key: string): string => `exp_${key}`;

/** The header and cookie an adapter writes for one experiment. */
export interface ExperimentNames {
  readonly header: string;
  readonly cookie: string;
}

/**
 * The header and cookie names of a set of experiments, by key, computed once at start-up so that
 * no request computes them. Two keys that give one header name (`a_b` and `a-b` both give
 * `X-Experiment-A-B`) are refused with an `OptionError` naming both. Header names are compared
 * with header names only, never with keys: `a_b` and `x-experiment-a-b` are two experiments.
 * Cookies need no check: `exp_<key>` is unique as long as keys are (core checks those).
 *
 * @internal
 */
export function experimentNames(experiments: readonly { readonly key: string }[]): ReadonlyMap<string, ExperimentNames> {
  const byKey = new Map<string, ExperimentNames>();
  // Lower-cased header name → the key that gives it: header names are case-insensitive.
  const keyByHeader = new Map<string, string>();
  experiments.forEach(({ key }, i) => {
    const header = experimentHeaderName(key);
    const other = keyByHeader.get(header.toLowerCase());
    if (other !== undefined) {
      invalidOption(`experiments[${i}].key`, key, `must give a header name of its own; "${other}" already gives ${header}`);
    }
    keyByHeader.set(header.toLowerCase(), key);
    byKey.set(key, { header, cookie: experimentCookieName(key) });
  });
  return byKey;
}
