import { ExperimentConfigError } from './errors.js';

/**
 * Attributes of the unit being assigned, for eligibility rules: `{ region: 'eu', roles: ['admin'] }`.
 *
 * @example
 * ```ts
 * assignVariant(experiment, 'user-42', { region: 'eu', roles: ['admin'], plan: 'pro' } satisfies Attributes);
 * ```
 */
export type Attributes = Readonly<Record<string, unknown>>;

/**
 * A value an eligibility condition compares against.
 *
 * @example
 * ```ts
 * const regions: RuleValue[] = ['eu', 'uk'];
 * const rule: EligibilityRule = { region: { in: regions } };
 * ```
 */
export type RuleValue = string | number | boolean;

/**
 * Conditions on one attribute; all of those given must hold.
 *
 * @example
 * ```ts
 * const adults: AttributeCondition = { gte: 18, lt: 130 };
 * defineExperiment({ key: 'onboarding', variants: ['a', 'b'], eligibility: { age: adults } });
 * ```
 */
export interface AttributeCondition {
  /** The attribute (or, for an array attribute, one of its items) is one of these. */
  in?: readonly RuleValue[];
  /** The attribute (and, for an array attribute, every item) is none of these; a missing attribute passes. */
  notIn?: readonly RuleValue[];
  /** The attribute equals this (an array attribute contains it). */
  eq?: RuleValue;
  /** The opposite of `eq`. */
  ne?: RuleValue;
  /** Numeric comparisons; a non-number attribute fails them. */
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  /** The attribute is present and not null (`true`), or absent or null (`false`). */
  exists?: boolean;
}

/**
 * A JSON-serialisable eligibility rule: conditions per attribute, combined with `all`, `any`
 * and `not`. An object naming several attributes needs all of them to hold.
 *
 * @example
 * ```ts
 * const rule: EligibilityRule = {
 *   all: [{ region: { in: ['eu', 'uk'] } }, { not: { tenantId: { in: ['internal'] } } }],
 * };
 * ```
 */
export type EligibilityRule =
  | { readonly all: readonly EligibilityRule[] }
  | { readonly any: readonly EligibilityRule[] }
  | { readonly not: EligibilityRule }
  | { readonly [attribute: string]: AttributeCondition };

/**
 * Eligibility as code: return `true` to let the unit in.
 *
 * @example
 * ```ts
 * const staffOnly: EligibilityPredicate = (attributes) => attributes.role === 'staff';
 * ```
 */
export type EligibilityPredicate = (attributes: Attributes) => boolean;

type Test = (attributes: Attributes) => boolean;

const own = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isRuleValue = (value: unknown): value is RuleValue =>
  typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

const OPERATORS = ['in', 'notIn', 'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'exists'];

/** Reads an attribute only if it is the object's own, so `__proto__` or `constructor` never reach the prototype. */
const read = (attributes: Attributes, name: string): unknown => (own(attributes, name) ? attributes[name] : undefined);

const matches = (value: unknown, test: (item: unknown) => boolean): boolean =>
  Array.isArray(value) ? value.some(test) : test(value);

function compileCondition(name: string, condition: unknown, path: string): Test {
  if (!isPlainObject(condition) || Object.keys(condition).length === 0) {
    throw new ExperimentConfigError(path, condition, `must be an object with at least one of ${OPERATORS.join(', ')}`);
  }
  const tests: Test[] = [];
  for (const op of Object.keys(condition)) {
    const operand = condition[op];
    const at = `${path}.${op}`;
    if (op === 'in' || op === 'notIn') {
      if (!Array.isArray(operand) || !operand.every(isRuleValue)) {
        throw new ExperimentConfigError(at, operand, 'must be an array of strings, numbers or booleans');
      }
      const set = new Set<unknown>(operand);
      const inSet = (a: Attributes) => matches(read(a, name), (item) => set.has(item));
      tests.push(op === 'in' ? inSet : (a) => !inSet(a));
    } else if (op === 'eq' || op === 'ne') {
      if (!isRuleValue(operand)) throw new ExperimentConfigError(at, operand, 'must be a string, number or boolean');
      const equal = (a: Attributes) => matches(read(a, name), (item) => item === operand);
      tests.push(op === 'eq' ? equal : (a) => !equal(a));
    } else if (op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte') {
      if (typeof operand !== 'number' || !Number.isFinite(operand)) {
        throw new ExperimentConfigError(at, operand, 'must be a finite number');
      }
      const compare =
        op === 'gt' ? (v: number) => v > operand : op === 'gte' ? (v: number) => v >= operand : op === 'lt' ? (v: number) => v < operand : (v: number) => v <= operand;
      tests.push((a) => {
        const value = read(a, name);
        return typeof value === 'number' && compare(value);
      });
    } else if (op === 'exists') {
      if (typeof operand !== 'boolean') throw new ExperimentConfigError(at, operand, 'must be true or false');
      tests.push((a) => (read(a, name) != null) === operand);
    } else {
      throw new ExperimentConfigError(at, operand, `is not an operator; use one of ${OPERATORS.join(', ')}`);
    }
  }
  return every(tests);
}

const every = (tests: Test[]): Test => (tests.length === 1 ? tests[0]! : (a) => tests.every((test) => test(a)));

function compileRule(rule: unknown, path: string): Test {
  if (!isPlainObject(rule) || Object.keys(rule).length === 0) {
    throw new ExperimentConfigError(path, rule, 'must be an object: { all: [...] }, { any: [...] }, { not: rule } or { attribute: condition }');
  }
  const keys = Object.keys(rule);
  for (const combinator of ['all', 'any', 'not']) {
    if (!own(rule, combinator)) continue;
    if (keys.length !== 1) throw new ExperimentConfigError(path, rule, `must hold "${combinator}" alone`);
    const operand = rule[combinator];
    if (combinator === 'not') {
      const inner = compileRule(operand, `${path}.not`);
      return (a) => !inner(a);
    }
    if (!Array.isArray(operand) || operand.length === 0) {
      throw new ExperimentConfigError(`${path}.${combinator}`, operand, 'must be a non-empty array of rules');
    }
    const tests = operand.map((item, i) => compileRule(item, `${path}.${combinator}[${i}]`));
    return combinator === 'all' ? (a) => tests.every((t) => t(a)) : (a) => tests.some((t) => t(a));
  }
  return every(keys.map((name) => compileCondition(name, rule[name], `${path}.${name}`)));
}

/**
 * Turns a rule or predicate into one predicate, validating the rule once.
 * @internal
 */
export function compileEligibility(eligibility: unknown, path = 'eligibility'): Test {
  if (typeof eligibility === 'function') return eligibility as Test;
  return compileRule(eligibility, path);
}

/**
 * Checks an eligibility rule against attributes, as an experiment would.
 * Throws {@link ExperimentConfigError} when the rule itself is invalid.
 *
 * @example
 * ```ts
 * isEligible({ region: { in: ['eu'] } }, { region: 'eu' });  // true
 * isEligible({ not: { role: { eq: 'staff' } } }, { role: 'staff' });  // false
 * ```
 */
export function isEligible(rule: EligibilityRule | EligibilityPredicate, attributes: Attributes = {}): boolean {
  return compileEligibility(rule)(attributes);
}
