import { readConfig } from './config-reader.js';
import { check, fieldPath, isMap } from './validate.js';

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
  /** The attribute (or, for an array attribute, one of its items) is one of these (a non-empty list). */
  in?: readonly RuleValue[];
  /** The attribute (and, for an array attribute, every item) is none of these (a non-empty list); a missing attribute passes. */
  notIn?: readonly RuleValue[];
  /** The attribute equals this (an array attribute contains it). */
  eq?: RuleValue;
  /** The opposite of `eq`. */
  ne?: RuleValue;
  /** Numeric comparisons; a non-number attribute fails them (`'20'` is not coerced to 20). */
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

const isScalar = (value: unknown): boolean =>
  typeof value === 'string' || typeof value === 'boolean' || Number.isFinite(value);
const isList = (value: unknown): boolean => Array.isArray(value) && value.length > 0;
/**
 * An array attribute (roles) matches when any of its items does. An object, or an array inside
 * the array, equals no rule value: `in` and `eq` fail on it, `notIn` and `ne` hold.
 */
const some = (value: unknown, test: (item: unknown) => boolean): boolean => (Array.isArray(value) ? value.some(test) : test(value));
const inList = (value: unknown, list: unknown[]): boolean => some(value, (item) => list.includes(item));
const equals = (value: unknown, operand: unknown): boolean => some(value, (item) => item === operand);
const isFiniteNumber = (value: unknown): boolean => Number.isFinite(value);

const SCALAR = 'a string, number or boolean';
const SCALARS = 'an array of strings, numbers or booleans, with at least one item';
const NUMBER = 'a finite number';

/**
 * Each operator: its test of the attribute's value, what its operand must be, and the check of that.
 * Functions and strings only, no calls and no global lookups: a bundler can then see the table is
 * free of side effects and drop it, with the rest of this file, from an app that uses no rules,
 * also when it bundles core's one prebuilt file. Comparisons fail for a non-number attribute:
 * `typeof` first, so that '20', true, null or [20] are never coerced to a number.
 */
const OPERATORS: Record<string, [test: (value: unknown, operand: any) => boolean, rule: string, operandOk: (o: unknown) => boolean]> = {
  in: [inList, SCALARS, isList],
  notIn: [(v, o) => !inList(v, o), SCALARS, isList],
  eq: [equals, SCALAR, isScalar],
  ne: [(v, o) => !equals(v, o), SCALAR, isScalar],
  gt: [(v, o) => typeof v === 'number' && v > o, NUMBER, isFiniteNumber],
  gte: [(v, o) => typeof v === 'number' && v >= o, NUMBER, isFiniteNumber],
  lt: [(v, o) => typeof v === 'number' && v < o, NUMBER, isFiniteNumber],
  lte: [(v, o) => typeof v === 'number' && v <= o, NUMBER, isFiniteNumber],
  exists: [(v, o) => (v != null) === o, 'true or false', (o) => typeof o === 'boolean'],
};

// Null or absent attributes have no own keys: they are none (docs/spec.md §7), whoever calls the predicate.
const own = (object: object | null | undefined, key: string): boolean => object != null && Object.prototype.hasOwnProperty.call(object, key);
const keysOf = (value: unknown): string[] => (isMap(value) ? Object.keys(value) : []);

/**
 * Validates a rule and returns its test. Reading attributes only through `own` keeps
 * `__proto__` or `constructor` from ever reaching the prototype.
 */
function compileRule(rule: unknown, path: string): Test {
  const keys = keysOf(rule);
  check(keys.length > 0, path, rule, 'must be { all: [...] }, { any: [...] }, { not: rule } or { attribute: { operator: value } }');
  const node = rule as Record<string, unknown>;
  const combinator = keys.find((key) => key === 'all' || key === 'any' || key === 'not');
  if (combinator) {
    const operand = node[combinator];
    check(keys.length === 1, path, rule, `must hold "${combinator}" alone`);
    if (combinator === 'not') {
      const inner = compileRule(operand, `${path}.not`);
      return (a) => !inner(a);
    }
    check(Array.isArray(operand) && operand.length > 0, `${path}.${combinator}`, operand, 'must be a non-empty array of rules');
    const tests = (operand as unknown[]).map((item, i) => compileRule(item, `${path}.${combinator}[${i}]`));
    return combinator === 'all' ? (a) => tests.every((t) => t(a)) : (a) => tests.some((t) => t(a));
  }
  const tests = keys.flatMap((name) => {
    const condition = node[name] as Record<string, unknown>;
    const ops = keysOf(condition);
    const at = fieldPath(path, name);
    check(ops.length > 0, at, condition, `must be an object of operators (${Object.keys(OPERATORS).join(', ')})`);
    return ops.map((op): Test => {
      const operand = condition[op];
      const field = fieldPath(at, op);
      check(own(OPERATORS, op), field, operand, `is not an operator; use one of ${Object.keys(OPERATORS).join(', ')}`);
      const [test, must, operandOk] = OPERATORS[op]!;
      check(operandOk(operand), field, operand, `must be ${must}`);
      // Only in and notIn take an array: each item is named by its index.
      if (Array.isArray(operand)) operand.forEach((item, i) => check(isScalar(item), `${field}[${i}]`, item, `must be ${SCALAR}`));
      return (a) => test(own(a, name) ? a[name] : undefined, operand);
    });
  });
  return (a) => tests.every((t) => t(a));
}

/**
 * A predicate compiled from a JSON rule. It keeps the rule and serialises as it, so a rule
 * change changes the experiment's version.
 *
 * @example
 * ```ts
 * const euOnly: RulePredicate = eligibilityRule({ region: { in: ['eu'] } });
 * JSON.stringify({ eligibility: euOnly });  // '{"eligibility":{"region":{"in":["eu"]}}}'
 * ```
 */
export type RulePredicate = EligibilityPredicate & { readonly rule: EligibilityRule; toJSON(): EligibilityRule };

/**
 * Validates a JSON eligibility rule once and turns it into the predicate `defineExperiment`
 * takes. Invalid rules throw {@link ExperimentConfigError} with the path to the fault, such as
 * `eligibility.any[1].region.in`; so do rules past the limits of docs/spec.md §5.6 (a rule is a
 * configuration's field: level 2 of at most 64), cycles and throwing getters. Attributes are
 * read only when they are the map's own, so names like `__proto__` are harmless.
 *
 * @example
 * ```ts
 * const euOnly = eligibilityRule({ region: { in: ['eu'] } });
 * defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], eligibility: euOnly });
 * euOnly({ region: 'eu' });  // true
 * ```
 */
export function eligibilityRule(rule: EligibilityRule): RulePredicate {
  // Read once into a plain copy, as a configuration's field (level 2) within the limits of
  // docs/spec.md §5.6, so compiling can neither recurse past them nor meet a throwing getter.
  const copy = readConfig(rule, 'eligibility', 2) as EligibilityRule;
  // compileRule returns a new function each time, so it can carry the rule itself.
  return Object.assign(compileRule(copy, 'eligibility'), { rule: copy, toJSON: () => copy });
}

/**
 * Checks an eligibility rule against attributes, as an experiment would; absent or null
 * attributes are none. Throws {@link ExperimentConfigError} when the rule itself is invalid.
 *
 * @example
 * ```ts
 * isEligible({ region: { in: ['eu'] } }, { region: 'eu' });  // true
 * isEligible({ not: { role: { eq: 'staff' } } }, { role: 'staff' });  // false
 * ```
 */
export function isEligible(rule: EligibilityRule | EligibilityPredicate, attributes?: Attributes | null): boolean {
  return (typeof rule === 'function' ? rule : eligibilityRule(rule))(attributes ?? {});
}
