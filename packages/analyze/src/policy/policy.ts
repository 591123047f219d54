import { isOutcome, type Outcome, type SignificantHarmOutcome } from './outcome.js';
import { validateGuardrail, type Guardrail } from './guardrail.js';
import { checkKeys, fail, fraction, name, object, oneOf, positive, PolicyError } from './policy-fields.js';
import { validateValueSpec, type RatioSpec, type ValueSpec } from './value-spec.js';

export { PolicyError } from './policy-fields.js';
export { validateGuardrail } from './guardrail.js';
export type { Guardrail, MeanGuardrail, NonInferiorityGuardrail, PercentileGuardrail, RateGuardrail, RelativeChangeGuardrail } from './guardrail.js';
export type { RatioSpec, ValueSpec } from './value-spec.js';

/**
 * How sample ratio mismatch is judged.
 *
 * @example
 * ```ts
 * const srm: SrmPolicy = { ...DEFAULT_SRM_POLICY, test: 'sequential' };
 * ```
 */
export interface SrmPolicy {
  /** p below this fails the check. Default 0.001. */
  readonly failBelow: number;
  /** p below this warns. Default 0.01. */
  readonly warnBelow: number;
  /** What a failed SRM check recommends. Default `hold`: the data cannot be trusted until the cause is found. */
  readonly onFail: Outcome;
  /**
   * Whose p-value the thresholds judge: `chi-square` (default), valid for one look at the data,
   * or `sequential`, the anytime-valid test that stays valid when the same experiment is checked
   * again and again (a daily smoke test). Both are always reported.
   */
  readonly test: 'chi-square' | 'sequential';
}

/**
 * The defaults of {@link SrmPolicy}: fail below p = 0.001, warn below 0.01, hold on failure,
 * judged by the chi-square test.
 *
 * @example
 * ```ts
 * checkSampleRatio([9050, 950], [90, 10], DEFAULT_SRM_POLICY).status; // 'ok'
 * ```
 */
export const DEFAULT_SRM_POLICY: SrmPolicy = Object.freeze({ failBelow: 0.001, warnBelow: 0.01, onFail: 'hold', test: 'chi-square' });

/**
 * What to check and how to decide: a preset or a JSON file given to `--policy`. Every field is
 * optional; command-line flags override the matching field.
 *
 * @example
 * ```json
 * { "name": "checkout smoke test", "experiment": "checkout_v2", "variants": ["old", "new"], "weights": [95, 5],
 *   "guardrails": [{ "type": "rate", "metric": "checkout_error", "hold": 0.02, "rollback": 0.05 }] }
 * ```
 */
export interface Policy {
  readonly name?: string;
  readonly description?: string;
  readonly experiment?: string;
  /** Control first. */
  readonly variants?: readonly string[];
  readonly weights?: readonly number[];
  /** Success metrics: tested for lift, Holm-corrected together. */
  readonly metrics?: readonly string[];
  /** Numeric properties to report per unit (sum and mean) and compare, e.g. `{ "event": "llm_call", "property": "cost_usd" }`. */
  readonly values?: readonly ValueSpec[];
  /** Funnels, each two or more event names: units with each of the first k events after their first exposure (in any order). */
  readonly funnels?: readonly (readonly string[])[];
  /** Ratios of per-unit sums, e.g. cache hits per lookup: `{ "numerator": { "event": "cache_lookup", "property": "hit" }, "denominator": { "event": "cache_lookup" } }`. */
  readonly ratios?: readonly RatioSpec[];
  /**
   * What a success metric significantly worse than control (Holm-adjusted p below 1 − confidence)
   * recommends: `hold` (default) or `rollback`.
   */
  readonly onSignificantHarm?: SignificantHarmOutcome;
  readonly guardrails?: readonly Guardrail[];
  readonly srm?: Partial<SrmPolicy>;
  /**
   * Decide on the always-valid tests (mSPRT: p-values and confidence sequences that stay valid
   * however often the experiment is analysed) instead of the fixed-horizon ones. Default false.
   */
  readonly sequential?: boolean;
  /** The units (both arms) near which the always-valid confidence sequences are narrowest. Default 10,000. */
  readonly sequentialHorizon?: number;
  /**
   * Balance over time: tolerance in percentage points (default 10·√(w(1−w)) per variant share w)
   * and the fewest units a bucket needs to be judged (default: where the tolerance spans three
   * standard errors of a share, 900 units with the default tolerance).
   */
  readonly balance?: { readonly tolerancePoints?: number; readonly minUnits?: number };
}

function stringList(field: string, value: unknown, minimum: number): string[] {
  if (!Array.isArray(value) || value.length < minimum) fail(field, value, `must be an array of at least ${minimum} names`);
  return value.map((item, i) => name(`${field}[${i}]`, item));
}

/**
 * Checks a parsed policy file and returns it typed. Unknown fields are refused, so a typo does
 * not silently turn a check off.
 *
 * @example
 * ```ts
 * validatePolicy(JSON.parse(readFileSync('policy.json', 'utf8')));
 * ```
 */
export function validatePolicy(value: unknown): Policy {
  const p = object('policy', value);
  checkKeys('', p, ['name', 'description', 'experiment', 'variants', 'weights', 'metrics', 'values', 'ratios', 'funnels', 'onSignificantHarm', 'guardrails', 'srm', 'sequential', 'sequentialHorizon', 'balance']);
  const policy: { -readonly [K in keyof Policy]: Policy[K] } = {};
  if (p.name !== undefined) policy.name = name('name', p.name);
  if (p.description !== undefined) policy.description = name('description', p.description);
  if (p.experiment !== undefined) policy.experiment = name('experiment', p.experiment);
  if (p.variants !== undefined) {
    policy.variants = stringList('variants', p.variants, 2);
    policy.variants.forEach((v, i) => {
      if (policy.variants!.indexOf(v) !== i) fail(`variants[${i}]`, v, 'must be unique');
    });
  }
  if (p.weights !== undefined) {
    if (!Array.isArray(p.weights)) fail('weights', p.weights, 'must be an array of numbers >= 0');
    policy.weights = p.weights.map((w, i) => positive(`weights[${i}]`, w));
    if (!policy.weights.some((w) => w > 0)) fail('weights', p.weights, 'must not all be 0');
    if (policy.variants !== undefined && policy.weights.length !== policy.variants.length) {
      fail('weights', p.weights, `must have one number per variant (${policy.variants.length})`);
    }
  }
  if (p.metrics !== undefined) policy.metrics = stringList('metrics', p.metrics, 0);
  if (p.values !== undefined) {
    if (!Array.isArray(p.values)) fail('values', p.values, 'must be an array of { "event", "property" }');
    policy.values = p.values.map((v, i) => validateValueSpec(v, `values[${i}]`));
  }
  if (p.funnels !== undefined) {
    if (!Array.isArray(p.funnels)) fail('funnels', p.funnels, 'must be an array of arrays of event names');
    policy.funnels = p.funnels.map((f, i) => {
      const steps = stringList(`funnels[${i}]`, f, 2);
      if (new Set(steps).size !== steps.length) fail(`funnels[${i}]`, f, 'must name different events');
      return steps;
    });
  }
  if (p.ratios !== undefined) {
    if (!Array.isArray(p.ratios)) fail('ratios', p.ratios, 'must be an array of { "numerator", "denominator" }');
    policy.ratios = p.ratios.map((r, i) => {
      const ratio = object(`ratios[${i}]`, r);
      checkKeys(`ratios[${i}]`, ratio, ['numerator', 'denominator']);
      return { numerator: validateValueSpec(ratio.numerator, `ratios[${i}].numerator`), denominator: validateValueSpec(ratio.denominator, `ratios[${i}].denominator`) };
    });
  }
  if (p.onSignificantHarm !== undefined) {
    policy.onSignificantHarm = oneOf('onSignificantHarm', p.onSignificantHarm, ['hold', 'rollback']);
  }
  if (p.guardrails !== undefined) {
    if (!Array.isArray(p.guardrails)) fail('guardrails', p.guardrails, 'must be an array');
    policy.guardrails = p.guardrails.map((g, i) => validateGuardrail(g, `guardrails[${i}]`));
  }
  if (p.srm !== undefined) {
    const srm = object('srm', p.srm);
    checkKeys('srm', srm, ['failBelow', 'warnBelow', 'onFail', 'test']);
    const out: { -readonly [K in keyof SrmPolicy]?: SrmPolicy[K] } = {};
    if (srm.failBelow !== undefined) out.failBelow = fraction('srm.failBelow', srm.failBelow);
    if (srm.warnBelow !== undefined) out.warnBelow = fraction('srm.warnBelow', srm.warnBelow);
    if (srm.onFail !== undefined) {
      if (!isOutcome(srm.onFail)) fail('srm.onFail', srm.onFail, 'must be "proceed", "hold" or "rollback"');
      out.onFail = srm.onFail;
    }
    if (srm.test !== undefined) out.test = oneOf('srm.test', srm.test, ['chi-square', 'sequential']);
    if ((out.failBelow ?? DEFAULT_SRM_POLICY.failBelow) > (out.warnBelow ?? DEFAULT_SRM_POLICY.warnBelow)) {
      throw new PolicyError(`srm.failBelow (${out.failBelow ?? DEFAULT_SRM_POLICY.failBelow}) must not be above srm.warnBelow (${out.warnBelow ?? DEFAULT_SRM_POLICY.warnBelow})`);
    }
    policy.srm = out;
  }
  if (p.sequential !== undefined) {
    if (typeof p.sequential !== 'boolean') fail('sequential', p.sequential, 'must be true or false');
    policy.sequential = p.sequential;
  }
  if (p.sequentialHorizon !== undefined) {
    if (!Number.isInteger(p.sequentialHorizon) || (p.sequentialHorizon as number) < 1) fail('sequentialHorizon', p.sequentialHorizon, 'must be a whole number of units >= 1');
    policy.sequentialHorizon = p.sequentialHorizon as number;
  }
  if (p.balance !== undefined) {
    const balance = object('balance', p.balance);
    checkKeys('balance', balance, ['tolerancePoints', 'minUnits']);
    const out: { tolerancePoints?: number; minUnits?: number } = {};
    if (balance.tolerancePoints !== undefined) {
      if (typeof balance.tolerancePoints !== 'number' || !(balance.tolerancePoints > 0 && balance.tolerancePoints <= 100)) {
        fail('balance.tolerancePoints', balance.tolerancePoints, 'must be a number of percentage points above 0 and up to 100');
      }
      out.tolerancePoints = balance.tolerancePoints;
    }
    if (balance.minUnits !== undefined) {
      if (!Number.isInteger(balance.minUnits) || (balance.minUnits as number) < 1) fail('balance.minUnits', balance.minUnits, 'must be a whole number >= 1');
      out.minUnits = balance.minUnits as number;
    }
    policy.balance = out;
  }
  return policy;
}
