import { describe, expect, it } from 'vitest';
import { readConfig } from './config-reader.js';
import { defineExperiment, type ExperimentConfig } from './experiment.js';
import { experimentFromJSON } from './experiment-json.js';
import { eligibilityRule } from './eligibility.js';
import { MAX_DEPTH, MAX_TEXT, MAX_VALUES } from './limits.js';
import { configError, expectConfigError } from './test-support/config-error.js';

// Configurations past the limits of docs/spec.md §5.6, and the hostile values fuzzing found
// (#21): each is an ExperimentConfigError naming the field, never a RangeError, a TypeError or a
// hang, and the work is refused before it is done.

const base = { key: 'k', variants: ['a', 'b'] };
const define = (config: unknown) => defineExperiment(config as ExperimentConfig);
const fromJSON = (config: unknown) => experimentFromJSON(config as never);
const DEEP = 'must be nested at most 64 levels deep';
const TOO_MANY = 'must keep the configuration within 100000 values';

/** `levels` nots around `{ a: { eq: 1 } }`. */
const nots = (levels: number): unknown => {
  let rule: unknown = { a: { eq: 1 } };
  for (let i = 0; i < levels; i++) rule = { not: rule };
  return rule;
};
const notsText = (levels: number): string => '{"not":'.repeat(levels) + '{"a":{"eq":1}}' + '}'.repeat(levels);

/** An array whose index reads are counted: what validation read of it. */
function counted<T>(items: T[]): { array: T[]; reads: () => number } {
  let reads = 0;
  const array = new Proxy(items, {
    get: (target, key, receiver) => {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
    has: (target, key) => {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.has(target, key);
    },
  });
  return { array, reads: () => reads };
}

describe('nesting: at most 64 levels (§5.6)', () => {
  it('accepts 60 nots around a condition (its eq value at level 64) and refuses 61, naming the value at level 65', () => {
    expect(fromJSON({ ...base, eligibility: nots(60) }).key).toBe('k');
    expect(fromJSON(`{"key":"k","variants":["a","b"],"eligibility":${notsText(60)}}`).key).toBe('k');
    const at65 = `eligibility${'.not'.repeat(61)}.a.eq`;
    expectConfigError(() => fromJSON({ ...base, eligibility: nots(61) }), at65, '1', DEEP);
    expectConfigError(() => fromJSON(`{"key":"k","variants":["a","b"],"eligibility":${notsText(61)}}`), at65, '1', DEEP);
    expectConfigError(() => eligibilityRule(nots(61) as never), at65, '1', DEEP);
  });

  it('refuses a rule nested thousands of levels deep (a RangeError before), as an object and as JSON text', () => {
    const at65 = `eligibility${'.not'.repeat(63)}`;
    for (const levels of [5_000, 100_000]) {
      expectConfigError(() => fromJSON({ ...base, eligibility: nots(levels) }), at65, 'an object', DEEP);
      expectConfigError(() => fromJSON(`{"key":"k","variants":["a","b"],"eligibility":${notsText(levels)}}`), at65, 'an object', DEEP);
    }
    expect(configError(() => fromJSON(`{"key":"k","variants":["a","b"],"extra":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)).rule).toBe(DEEP);
  });

  it('refuses an object that contains itself, naming where the cycle closes', () => {
    const rule: Record<string, unknown> = {};
    rule.not = rule;
    expectConfigError(() => fromJSON({ ...base, eligibility: rule }), 'eligibility.not', 'an object', 'a cycle');
    expectConfigError(() => eligibilityRule(rule as never), 'eligibility.not', 'an object', 'a cycle');
    const extra: Record<string, unknown> = { a: [] };
    (extra.a as unknown[]).push(extra);
    expectConfigError(() => fromJSON({ ...base, extra }), 'extra.a[0]', 'an object', 'a cycle');
  });
});

describe('values: at most 100,000 in a configuration (§5.6)', () => {
  const withList = (n: number) => ({ ...base, eligibility: { region: { in: Array.from({ length: n }, (_, i) => `r${i}`) } } });

  it('counts every value: 8 + n for an in list of n, so 99,992 items pass and 99,993 are refused naming the list', () => {
    expect(fromJSON(withList(99_992)).key).toBe('k');
    expect(configError(() => fromJSON(withList(99_993)))).toMatchObject({ field: 'eligibility.region.in', rule: `${TOO_MANY} (it holds 99993)` });
  });

  it('refuses a sparse array of length 2^32 - 1 by its length, reading none of its items (it hung before)', () => {
    const sparse: string[] = [];
    sparse.length = 2 ** 32 - 1;
    const { array, reads } = counted(sparse);
    expect(configError(() => fromJSON({ ...base, variants: array }))).toMatchObject({ field: 'variants', rule: `${TOO_MANY} (it holds 4294967295)` });
    // Only the 41 slots an error message shows at most.
    expect(reads()).toBeLessThanOrEqual(2 * 41);
  });

  it('refuses 100,000 variants before reading them, from JSON and in code (14 s before)', () => {
    const variants = counted(Array.from({ length: 100_000 }, (_, i) => `v${i}`));
    expect(configError(() => fromJSON({ ...base, variants: variants.array })).field).toBe('variants');
    expect(configError(() => define({ ...base, variants: variants.array })).rule).toBe('must have at most 1000 variants');
    // Only the 41 items each error message shows at most (a read and a check of each).
    expect(variants.reads()).toBeLessThanOrEqual(2 * 2 * 41);
  });

  it('checks 1,000 variants in one pass (a Set), not one indexOf per variant', () => {
    const variants = counted(Array.from({ length: 1_000 }, (_, i) => `v${i}`));
    expect(define({ ...base, variants: variants.array }).variants).toHaveLength(1_000);
    // Each variant is read a few times (checked, copied, weighted): linear, where indexOf read about n²/2 = 500,000.
    expect(variants.reads()).toBeLessThan(10_000);
    expectConfigError(() => define({ ...base, variants: [...Array.from({ length: 999 }, (_, i) => `v${i}`), 'v5'] }), 'variants[999]', '"v5"', 'must be unique');
    expect(configError(() => define({ ...base, variants: Array.from({ length: 1_001 }, (_, i) => `v${i}`) }))).toMatchObject({
      field: 'variants',
      rule: 'must have at most 1000 variants',
    });
  });

  it('checks the holes of a sparse variants or weights array in code (forEach skipped them)', () => {
    // eslint-disable-next-line no-sparse-arrays
    expectConfigError(() => define({ ...base, variants: ['a', , 'b'] }), 'variants[1]', 'undefined', 'must be a non-empty string');
    // eslint-disable-next-line no-sparse-arrays
    expectConfigError(() => define({ ...base, weights: [1, ,] }), 'weights[1]', 'undefined', 'must be >= 0');
  });
});

describe('strings: at most 1,024 UTF-16 code units, values and keys (§5.6)', () => {
  it('accepts 1,024 and refuses 1,025, naming the string, or for a key its map', () => {
    expect(fromJSON({ ...base, salt: 's'.repeat(1_024) }).salt).toHaveLength(1_024);
    expect(configError(() => fromJSON({ ...base, salt: 's'.repeat(1_025) }))).toMatchObject({ field: 'salt', rule: 'must be at most 1024 characters long' });
    expect(configError(() => fromJSON({ ...base, variants: ['a', 'b'.repeat(1_025)] })).field).toBe('variants[1]');
    expect(configError(() => fromJSON({ ...base, overrides: { ['u'.repeat(1_025)]: 'a' } }))).toMatchObject({
      field: 'overrides',
      rule: 'must have keys of at most 1024 characters',
    });
  });
});

describe('values no JSON holds', () => {
  it.each([
    ['rollout', { rollout: 10n }, 'must be a number from 0 to 100'],
    ['traffic', { traffic: 10n }, 'must be a number from 0 to 100'],
    ['holdout.percent', { holdout: { key: 'h', percent: 10n } }, 'must be a number from 0 to 100'],
    ['layer.range[0]', { layer: { name: 'l', range: [10n, 50] } }, 'must be a number from 0 to 100'],
  ])('a BigInt %s is named (a TypeError before), shown with its n', (field, fields, rule) => {
    expectConfigError(() => fromJSON({ ...base, ...fields }), field, '10n', rule);
  });

  it('a BigInt or circular field that no rule reads names the field in code, where the version is derived from it', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const rule = 'must be JSON (no cycle, no BigInt) to derive the version from, or give a version';
    expectConfigError(() => define({ ...base, extra: 10n }), 'extra', '10n', rule);
    expectConfigError(() => define({ ...base, extra: circular }), 'extra', 'an object', rule);
    const predicate = Object.assign(() => true, { toJSON: () => { throw new Error('no'); } });
    expectConfigError(() => define({ ...base, eligibility: predicate }), 'eligibility', 'a function', rule);
    // With a version given, nothing needs the JSON: accepted, as before.
    expect(define({ ...base, extra: 10n, version: 'v1' }).version).toBe('v1');
    // From JSON, such a field is unknown, and refused as such.
    expectConfigError(() => fromJSON({ ...base, extra: 10n }), 'extra', '10n', 'is not a known field');
  });
});

describe('getters and Proxy traps that throw', () => {
  const boom = new Error('boom');
  const rule = 'could not be read: a getter or Proxy trap threw Error: boom';
  const throwing = (): never => {
    throw boom;
  };

  it.each<[string, () => unknown]>([
    ['rollout', () => fromJSON({ ...base, get rollout() { return throwing(); } })],
    ['config', () => fromJSON(new Proxy({ ...base }, { ownKeys: throwing }))],
    ['config', () => fromJSON(new Proxy({ ...base }, { get: throwing }))],
    ['variants', () => fromJSON({ ...base, variants: new Proxy(['a', 'b'], { get: throwing }) })],
    ['overrides.qa', () => fromJSON({ ...base, overrides: { get qa() { return throwing(); } } })],
    ['eligibility.any[0]', () => fromJSON({ ...base, eligibility: { any: [new Proxy({}, { getOwnPropertyDescriptor: throwing, ownKeys: () => ['a'] })] } })],
    ['eligibility.region', () => eligibilityRule({ get region() { return throwing(); } } as never)],
  ])('%s is named, with what was thrown as the value', (field, build) => {
    const error = configError(build);
    expect(error.field).toBe(field);
    expect(error.rule).toBe(rule);
    expect(error.value).toBe(boom);
  });

  it('names a revoked Proxy, and an error whose message cannot be read', () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(configError(() => fromJSON({ ...base, holdout: revoked.proxy })).field).toBe('holdout');
    const unreadable = new Proxy(new Error('x'), { get: () => { throw new Error('again'); } });
    const error = configError(() => fromJSON({ ...base, get salt() { throw unreadable; } }));
    expect(error.rule).toBe('could not be read: a getter or Proxy trap threw a value that cannot be read');
  });

  it('reads each field once, so a getter cannot pass validation with one value and be used with another', () => {
    let reads = 0;
    const experiment = fromJSON({ ...base, get rollout() { return reads++ === 0 ? 10 : 10n; } });
    expect(experiment.rollout).toBe(10);
    expect(reads).toBe(1);
  });

  it("copies an empty map too: the caller's object is read once", () => {
    // A Proxy that answers differently on a second look cannot reach the checks.
    let looks = 0;
    const answersOnce = new Proxy(
      {},
      {
        ownKeys(target) {
          if (looks++ > 0) throw new Error('looked at twice');
          return Reflect.ownKeys(target);
        },
      },
    );
    expect(() => experimentFromJSON({ key: 'k', variants: ['a', 'b'], overrides: answersOnce as never })).not.toThrow();
  });
});

// The limits at their exact boundaries, as readConfig applies them: a value at a limit is read,
// one past it is refused; absent (undefined) fields are not values.
describe('readConfig at the limits', () => {
  it(`reads ${MAX_VALUES} values and refuses one more`, () => {
    // The root, the array and its items, then b: the last value counted.
    const within = { a: new Array<number>(MAX_VALUES - 3).fill(0), b: 1 };
    expect(readConfig(within, '', 1)).toMatchObject({ b: 1 });
    const over = { a: new Array<number>(MAX_VALUES - 2).fill(0), b: 1 };
    expect(configError(() => readConfig(over, '', 1)).field).toBe('b');
  });

  it(`reads a key of ${MAX_TEXT} characters and refuses one of ${MAX_TEXT + 1}`, () => {
    expect(Object.keys(readConfig({ ['k'.repeat(MAX_TEXT)]: 1 }, '', 1) as object)).toEqual(['k'.repeat(MAX_TEXT)]);
    expect(configError(() => readConfig({ ['k'.repeat(MAX_TEXT + 1)]: 1 }, '', 1)).rule).toContain(`keys of at most ${MAX_TEXT} characters`);
  });

  it('does not count an absent field as a value, nor its depth', () => {
    let deepest: Record<string, unknown> = { end: undefined };
    for (let level = 1; level < MAX_DEPTH; level++) deepest = { next: deepest };
    // MAX_DEPTH levels of maps, the last holding only an undefined field at level MAX_DEPTH + 1.
    expect(() => readConfig(deepest, '', 1)).not.toThrow();
    const full = { a: new Array<number>(MAX_VALUES - 3).fill(0), b: 1, c: undefined };
    expect(() => readConfig(full, '', 1)).not.toThrow();
  });
});
