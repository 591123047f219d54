import { describe, expect, it } from 'vitest';
import { readConfig } from './config-reader.js';
import { eligibilityRule } from './eligibility.js';
import { MAX_DEPTH, MAX_TEXT, MAX_VALUES } from './limits.js';
import { configError } from './test-support/config-error.js';

// The limits of docs/spec.md §5.6 at their exact boundaries, as readConfig applies them: a
// value at a limit is read, one past it is refused; absent (undefined) fields are not values.
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

describe('an unknown eligibility operator', () => {
  it('is refused with the list of operators, comma-separated', () => {
    const error = configError(() => eligibilityRule({ region: { equals: 'eu' } } as never));
    expect(error.rule).toBe('is not an operator; use one of in, notIn, eq, ne, gt, gte, lt, lte, exists');
  });
});
