import { describe, expect, it } from 'vitest';
import { eligibilityRule, isEligible, type Attributes, type EligibilityRule } from './eligibility.js';
import { ExperimentConfigError } from './errors.js';
import { configError, expectConfigError } from './test-support/config-error.js';

// Eligibility rules as docs/spec.md §6 words them, checked directly (assign.test.ts checks them
// through assignVariant).

const rule = (value: unknown): EligibilityRule => value as EligibilityRule;

describe('isEligible', () => {
  it('says whether a JSON rule holds for the attributes', () => {
    expect(isEligible({ region: { in: ['eu', 'uk'] } }, { region: 'uk' })).toBe(true);
    expect(isEligible({ region: { in: ['eu', 'uk'] } }, { region: 'us' })).toBe(false);
    expect(isEligible({ not: { role: { eq: 'staff' } } }, { role: 'staff' })).toBe(false);
    expect(isEligible({ any: [{ plan: { eq: 'pro' } }, { age: { gte: 18 } }] }, { plan: 'free', age: 18 })).toBe(true);
  });

  it('reads absent or null attributes as none, for a rule and for a predicate', () => {
    for (const attributes of [undefined, null, {}]) {
      expect(isEligible({ region: { exists: false } }, attributes)).toBe(true);
      expect(isEligible({ region: { notIn: ['us'] } }, attributes)).toBe(true);
      expect(isEligible({ region: { exists: true } }, attributes)).toBe(false);
      expect(isEligible((a) => Object.keys(a).length === 0, attributes)).toBe(true);
    }
  });

  it('runs a predicate as it is, and a predicate made by eligibilityRule', () => {
    expect(isEligible((a) => a.plan === 'pro', { plan: 'pro' })).toBe(true);
    const euOnly = eligibilityRule({ region: { eq: 'eu' } });
    expect(isEligible(euOnly, { region: 'eu' })).toBe(true);
    expect(isEligible(euOnly, { region: 'us' })).toBe(false);
  });

  it('throws ExperimentConfigError, with the path, for an invalid rule', () => {
    expect(() => isEligible(rule({ region: { like: 'e%' } }), {})).toThrow(ExperimentConfigError);
    expectConfigError(() => isEligible(rule({ any: [{ region: { in: 'eu' } }] }), {}), 'eligibility.any[0].region.in', '"eu"', 'must be an array');
  });
});

describe('a predicate from eligibilityRule', () => {
  it('reads null or absent attributes as none when called directly', () => {
    const predicate = eligibilityRule({ region: { notIn: ['us'] }, beta: { exists: false } }) as (a: Attributes | null | undefined) => boolean;
    expect(predicate(null)).toBe(true);
    expect(predicate(undefined)).toBe(true);
    expect(predicate({ region: 'us' })).toBe(false);
  });

  it('reads an attribute name with a dot as one name, never as a path', () => {
    const predicate = eligibilityRule({ 'a.b': { eq: 1 } });
    expect(predicate({ 'a.b': 1 })).toBe(true);
    expect(predicate({ a: { b: 1 } })).toBe(false);
  });
});

describe('comparisons take numbers only, never coercing', () => {
  // Each operand is chosen so that every value below would pass once converted to a number.
  const comparisons: [op: string, operand: number][] = [['gt', -1], ['gte', 0], ['lt', 21], ['lte', 20]];
  const notNumbers: [label: string, value: unknown][] = [['"20"', '20'], ['true', true], ['null', null], ['[20]', [20]], ['["20"]', ['20']], ['""', '']];

  it.each(comparisons)('%s %d holds for the number 20', (op, operand) => {
    expect(isEligible(rule({ age: { [op]: operand } }), { age: 20 })).toBe(true);
  });

  it.each(comparisons.flatMap(([op, operand]) => notNumbers.map(([label, value]) => [op, operand, label, value] as const)))(
    '%s %d fails for %s',
    (op, operand, _label, value) => {
      expect(isEligible(rule({ age: { [op]: operand } }), { age: value })).toBe(false);
    },
  );
});

describe('object values and arrays inside arrays equal nothing', () => {
  const profile = { tier: 'pro' };
  it.each([
    ['in fails', { in: ['pro'] }, false],
    ['eq fails', { eq: 'pro' }, false],
    ['notIn holds', { notIn: ['pro'] }, true],
    ['ne holds', { ne: 'pro' }, true],
    ['exists holds', { exists: true }, true],
    ['gte fails', { gte: 0 }, false],
  ])('on an object value, %s', (_name, condition, holds) => {
    expect(isEligible(rule({ profile: condition }), { profile })).toBe(holds);
  });

  it('matches no item that is an array or an object, and the other items as usual', () => {
    expect(isEligible({ roles: { in: ['admin'] } }, { roles: [['admin']] })).toBe(false);
    expect(isEligible({ roles: { eq: 'admin' } }, { roles: [{ role: 'admin' }] })).toBe(false);
    expect(isEligible({ roles: { notIn: ['admin'] } }, { roles: [['admin'], { role: 'admin' }] })).toBe(true);
    expect(isEligible({ roles: { in: ['admin'] } }, { roles: [['admin'], 'admin'] })).toBe(true);
  });
});

describe('an unknown operator', () => {
  it('is refused with the list of operators, comma-separated', () => {
    const error = configError(() => eligibilityRule({ region: { equals: 'eu' } } as never));
    expect(error.rule).toBe('is not an operator; use one of in, notIn, eq, ne, gt, gte, lt, lte, exists');
  });
});

describe('in and notIn operands', () => {
  it.each(['in', 'notIn'])('%s: [] is refused, naming the operator', (op) => {
    expectConfigError(() => eligibilityRule(rule({ region: { [op]: [] } })), `eligibility.region.${op}`, '[]', 'with at least one item');
  });

  it.each([
    ['{}', ['eu', {}], 1, 'an object'],
    ['null', ['eu', null], 1, 'null'],
    ['an array', [['eu']], 0, '["eu"]'],
    ['NaN', ['eu', 'uk', Number.NaN], 2, 'NaN'],
  ])('refuses %s as an item of in, naming its index', (_label, list, index, got) => {
    expectConfigError(() => eligibilityRule(rule({ region: { in: list } })), `eligibility.region.in[${index}]`, got, 'must be a string, number or boolean');
  });

  it('names the item inside notIn and under a combinator too', () => {
    const nested = rule({ all: [{ not: { role: { notIn: ['bot', true, {}] } } }] });
    expectConfigError(() => eligibilityRule(nested), 'eligibility.all[0].not.role.notIn[2]', 'an object', 'must be a string');
  });
});

describe('paths of attribute names that are not identifiers (§5.1)', () => {
  it.each([
    [{ 'a.b': { in: [] } }, 'eligibility["a.b"].in'],
    [{ 'na"me': { gt: 'x' } }, 'eligibility["na\\"me"].gt'],
    [{ '': { eq: {} } }, 'eligibility[""].eq'],
    [{ 'user-type': { eq: [] } }, 'eligibility["user-type"].eq'],
    [{ '2fa': { exists: 'yes' } }, 'eligibility["2fa"].exists'],
    [{ 'région': { eq: null } }, 'eligibility["région"].eq'],
    [{ $plan_2: { lt: null } }, 'eligibility.$plan_2.lt'],
    [{ region: { 'e.q': 'eu' } }, 'eligibility.region["e.q"]'],
    [{ 'a.b': null }, 'eligibility["a.b"]'],
    [{ any: [{ region: { eq: 'eu' } }, { 'a.b': { in: ['x', ['y']] } }] }, 'eligibility.any[1]["a.b"].in[1]'],
  ])('refuses %j, naming %s', (value, field) => {
    const error = configError(() => eligibilityRule(rule(value)));
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field} `)).toBe(true);
  });
});
