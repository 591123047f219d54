import { assignVariant, type AssignmentReason } from './assign.js';
import type { Attributes } from './eligibility.js';
import { ExperimentConfigError } from './errors.js';
import { check, checkOptionalText } from './validate.js';
import { defineExperiment, type Experiment, type ExperimentConfig } from './experiment.js';
import type { Unit } from './unit.js';

/**
 * One factor of a multivariate test: its variants (first is control) and optional weights.
 *
 * @example
 * ```ts
 * const density: FactorConfig = { variants: ['cozy', 'compact'], weights: [3, 1] };
 * ```
 */
export type FactorConfig = readonly string[] | { readonly variants: readonly string[]; readonly weights?: readonly number[] };

/**
 * What {@link defineMultivariate} takes: the shared settings of an experiment, and factors instead of variants.
 *
 * @example
 * ```ts
 * const config: MultivariateConfig<'layout'> = { key: 'skills_page', traffic: 20, factors: { layout: ['tree', 'list'] } };
 * ```
 */
export interface MultivariateConfig<F extends string = string>
  extends Omit<ExperimentConfig, 'variants' | 'weights' | 'rollout' | 'overrides'> {
  readonly factors: Readonly<Record<F, FactorConfig>>;
}

/**
 * A multivariate test: one experiment per factor, keyed `<key>.<factor>`, all taking in the same units.
 *
 * @example
 * ```ts
 * const page: Multivariate<'layout'> = defineMultivariate({ key: 'skills_page', factors: { layout: ['tree', 'list'] } });
 * createBucketry({ experiments: page.experiments });
 * ```
 */
export interface Multivariate<F extends string = string> {
  readonly key: string;
  readonly factors: Readonly<Record<F, Experiment>>;
  /** The factor experiments, e.g. to pass to {@link createBucketry}. */
  readonly experiments: readonly Experiment[];
}

/**
 * The outcome of {@link assignFactors}.
 *
 * @example
 * ```ts
 * const { variants }: FactorAssignment<'layout' | 'density'> = assignFactors(page, 'user-42');
 * ```
 */
export interface FactorAssignment<F extends string = string> {
  readonly experiment: string;
  /** The variant of each factor. */
  readonly variants: Readonly<Record<F, string>>;
  readonly inExperiment: boolean;
  readonly reason: AssignmentReason;
}

/**
 * Defines a multivariate test: several factors, each split by its own hash, so the factors are
 * independent of one another, while traffic, eligibility, holdout and layer are shared, so a unit
 * is in all factors or in none.
 *
 * @example
 * ```ts
 * const page = defineMultivariate({
 *   key: 'skills_page',
 *   traffic: 50,
 *   factors: { layout: ['tree', 'list'], density: { variants: ['cozy', 'compact'], weights: [1, 1] } },
 * });
 * assignFactors(page, 'user-42').variants;  // { layout: 'list', density: 'cozy' }
 * ```
 */
export function defineMultivariate<const F extends string>(config: MultivariateConfig<F>): Multivariate<F> {
  const { factors, ...shared } = config;
  check(typeof factors === 'object' && factors !== null && Object.keys(factors).length > 0, 'factors', factors, 'must be an object with at least one factor');
  // Checked here: each factor's salt is derived from it, so a bad one would otherwise slip through.
  const salt = checkOptionalText('salt', shared.salt) ?? shared.key;
  const defined = {} as Record<F, Experiment>;
  for (const [name, factor] of Object.entries(factors) as [F, FactorConfig][]) {
    const variants = Array.isArray(factor) ? factor : (factor as { variants: readonly string[] }).variants;
    const weights = Array.isArray(factor) ? undefined : (factor as { weights?: readonly number[] }).weights;
    try {
      defined[name] = defineExperiment({
        ...shared,
        key: `${shared.key}.${name}`,
        salt: `${salt}.${name}`,
        trafficSalt: shared.trafficSalt ?? salt,
        variants,
        weights,
      });
    } catch (error) {
      // Only variants and weights come from the factor; shared fields keep their own names.
      if (error instanceof ExperimentConfigError && /^(variants|weights)\b/.test(error.field)) {
        throw new ExperimentConfigError(`factors.${name}.${error.field}`, error.value, error.rule);
      }
      throw error;
    }
  }
  return Object.freeze({ key: shared.key, factors: Object.freeze(defined), experiments: Object.freeze(Object.values(defined) as Experiment[]) });
}

/**
 * Assigns every factor of a multivariate test.
 *
 * @example
 * ```ts
 * const { variants, inExperiment } = assignFactors(page, 'user-42', { region: 'eu' });
 * ```
 */
export function assignFactors<F extends string>(
  multivariate: Multivariate<F>,
  unit: Unit | null | undefined,
  attributes?: Attributes | null,
): FactorAssignment<F> {
  const variants = {} as Record<F, string>;
  let inExperiment = true;
  let reason: AssignmentReason = 'bucketed';
  for (const name of Object.keys(multivariate.factors) as F[]) {
    const assignment = assignVariant(multivariate.factors[name], unit, attributes);
    variants[name] = assignment.variant;
    if (!assignment.inExperiment) inExperiment = false;
    if (assignment.reason !== 'bucketed') reason = assignment.reason;
  }
  return { experiment: multivariate.key, variants, inExperiment, reason };
}
