import type { SignificantHarmOutcome } from '../analysis/metric-harm.js';
import { isOutcome, type Outcome } from '../analysis/outcome.js';

/**
 * "Treatment is not worse than control by more than `margin`, relative", judged by the one-sided
 * bound of the relative lift at level `alpha`. For `higher-is-better` metrics (conversions) it
 * passes when the lower bound is above −margin and calls for a rollback when even the upper bound
 * is below −margin; `lower-is-better` (errors) mirrors that. Anything in between holds.
 *
 * @example
 * ```ts
 * const guardrail: NonInferiorityGuardrail = { type: 'non-inferiority', metric: 'purchase', margin: 0.05, direction: 'higher-is-better', alpha: 0.05 };
 * ```
 */
export interface NonInferiorityGuardrail {
  readonly type: 'non-inferiority';
  /** A tracked event: units with it after their first exposure convert. */
  readonly metric: string;
  /** Relative margin, e.g. 0.05 for 5%. */
  readonly margin: number;
  /** Default `higher-is-better`. */
  readonly direction?: 'higher-is-better' | 'lower-is-better';
  /** One-sided level, default 0.05. */
  readonly alpha?: number;
}

/**
 * A treatment's conversion rate against fixed limits: below `hold` proceed, up to `rollback` hold, above rollback.
 *
 * @example
 * ```ts
 * const guardrail: RateGuardrail = { type: 'rate', metric: 'checkout_error', hold: 0.02, rollback: 0.05 };
 * ```
 */
export interface RateGuardrail {
  readonly type: 'rate';
  readonly metric: string;
  /** Rates from this (inclusive) hold, e.g. 0.02. */
  readonly hold: number;
  /** Rates above this roll back, e.g. 0.05. */
  readonly rollback: number;
}

/**
 * A treatment's duration percentile against fixed limits in milliseconds, e.g. p95 < 5 s proceed, 5–10 s hold, > 10 s rollback.
 *
 * @example
 * ```ts
 * const guardrail: PercentileGuardrail = { type: 'percentile', event: 'checkout_loaded', percentile: 95, hold: 5000, rollback: 10000 };
 * ```
 */
export interface PercentileGuardrail {
  readonly type: 'percentile';
  /** The event whose `duration_ms` (or `latency_ms`) is measured. */
  readonly event: string;
  /** 0–100, e.g. 95. */
  readonly percentile: number;
  readonly hold: number;
  readonly rollback: number;
}

/**
 * One guardrail of a {@link Policy}.
 *
 * @example
 * ```ts
 * const guardrail: Guardrail = parseGuardrailSpec('rate:skill_tree_error:2%:5%');
 * ```
 */
export type Guardrail = NonInferiorityGuardrail | RateGuardrail | PercentileGuardrail;

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

/**
 * A policy that breaks a rule; the message names the field, the value and the rule.
 *
 * @example
 * ```ts
 * validatePolicy({ weights: [-1, 2] }); // throws PolicyError: weights[0] is -1, must be a number >= 0
 * ```
 */
export class PolicyError extends Error {
  override name = 'PolicyError';
}

const show = (value: unknown): string => (value === undefined ? 'missing' : JSON.stringify(value) ?? String(value));

type Fields = Record<string, unknown>;

function fail(field: string, value: unknown, rule: string): never {
  throw new PolicyError(`${field} is ${show(value)}, ${rule}`);
}

function checkKeys(field: string, record: Fields, allowed: readonly string[]): void {
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) throw new PolicyError(`${field ? field + '.' : ''}${key} is not a known field (known: ${allowed.join(', ')})`);
  }
}

function object(field: string, value: unknown): Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(field, value, 'must be an object');
  return value as Fields;
}

function name(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) fail(field, value, 'must be a non-empty string');
  return value;
}

function fraction(field: string, value: unknown, rule = 'must be a number from 0 to 1 (0.05 is 5%)'): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) fail(field, value, rule);
  return value;
}

function positive(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(field, value, 'must be a number >= 0');
  return value;
}

function ordered(field: string, hold: number, rollback: number): void {
  if (hold > rollback) throw new PolicyError(`${field}.hold (${hold}) must not be above ${field}.rollback (${rollback})`);
}

/** Checks one guardrail; throws {@link PolicyError} naming `field`. */
export function validateGuardrail(value: unknown, field = 'guardrail'): Guardrail {
  const g = object(field, value);
  switch (g.type) {
    case 'non-inferiority': {
      checkKeys(field, g, ['type', 'metric', 'margin', 'direction', 'alpha']);
      const direction = g.direction ?? 'higher-is-better';
      if (direction !== 'higher-is-better' && direction !== 'lower-is-better') {
        fail(`${field}.direction`, g.direction, 'must be "higher-is-better" or "lower-is-better"');
      }
      const alpha = g.alpha ?? 0.05;
      if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 0.5)) fail(`${field}.alpha`, g.alpha, 'must be a number between 0 and 0.5 (one-sided level)');
      return {
        type: 'non-inferiority',
        metric: name(`${field}.metric`, g.metric),
        margin: fraction(`${field}.margin`, g.margin, 'must be a relative margin from 0 to 1 (0.05 is 5%)'),
        direction,
        alpha,
      };
    }
    case 'rate': {
      checkKeys(field, g, ['type', 'metric', 'hold', 'rollback']);
      const guardrail: RateGuardrail = {
        type: 'rate',
        metric: name(`${field}.metric`, g.metric),
        hold: fraction(`${field}.hold`, g.hold),
        rollback: fraction(`${field}.rollback`, g.rollback),
      };
      ordered(field, guardrail.hold, guardrail.rollback);
      return guardrail;
    }
    case 'percentile': {
      checkKeys(field, g, ['type', 'event', 'percentile', 'hold', 'rollback']);
      if (typeof g.percentile !== 'number' || !(g.percentile > 0 && g.percentile < 100)) {
        fail(`${field}.percentile`, g.percentile, 'must be a number between 0 and 100, e.g. 95');
      }
      const guardrail: PercentileGuardrail = {
        type: 'percentile',
        event: name(`${field}.event`, g.event),
        percentile: g.percentile,
        hold: positive(`${field}.hold`, g.hold),
        rollback: positive(`${field}.rollback`, g.rollback),
      };
      ordered(field, guardrail.hold, guardrail.rollback);
      return guardrail;
    }
    default:
      return fail(`${field}.type`, g.type, 'must be "non-inferiority", "rate" or "percentile"');
  }
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
  checkKeys('', p, ['name', 'description', 'experiment', 'variants', 'weights', 'metrics', 'onSignificantHarm', 'guardrails', 'srm', 'sequential', 'sequentialHorizon', 'balance']);
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
  if (p.onSignificantHarm !== undefined) {
    if (p.onSignificantHarm !== 'hold' && p.onSignificantHarm !== 'rollback') fail('onSignificantHarm', p.onSignificantHarm, 'must be "hold" or "rollback"');
    policy.onSignificantHarm = p.onSignificantHarm;
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
    if (srm.test !== undefined) {
      if (srm.test !== 'chi-square' && srm.test !== 'sequential') fail('srm.test', srm.test, 'must be "chi-square" or "sequential"');
      out.test = srm.test;
    }
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
