import { describe, expect, it } from 'vitest';
import { check, describeValue, ExperimentConfigError } from './errors.js';

describe('ExperimentConfigError', () => {
  it('names the field, the value and the rule, after the context when there is one', () => {
    const error = new ExperimentConfigError('weights[1]', -5, 'must be >= 0');
    expect(error.message).toBe('weights[1] must be >= 0, got -5');
    expect([error.name, error.field, error.value, error.rule]).toEqual(['ExperimentConfigError', 'weights[1]', -5, 'must be >= 0']);
    expect(new ExperimentConfigError('maxBatchSize', 0, 'must be a whole number >= 1', 'createBatchingSink').message).toBe(
      'createBatchingSink: maxBatchSize must be a whole number >= 1, got 0',
    );
  });

  it('is a TypeError, as an invalid argument value is in Node', () => {
    expect(new ExperimentConfigError('key', 1, 'must be a string')).toBeInstanceOf(TypeError);
  });

  it('is what check throws when the rule is broken, and nothing when it holds', () => {
    expect(() => check(false, 'retry', 3, 'must be an object', 'createBatchingSink')).toThrow(
      new ExperimentConfigError('retry', 3, 'must be an object', 'createBatchingSink'),
    );
    expect(() => check(true, 'retry', {}, 'must be an object')).not.toThrow();
  });
});

describe('describeValue', () => {
  it.each([
    ['lax', '"lax"'],
    ['x'.repeat(100), `"${'x'.repeat(76)}...`],
    [1.5, '1.5'],
    [Number.NaN, 'NaN'],
    [-5, '-5'],
    [true, 'true'],
    [null, 'null'],
    [undefined, 'undefined'],
    // With its n: '10' would read as the number a rule such as 'must be a number' asks for.
    [10n, '10n'],
    [[1, -5], '[1,-5]'],
    [['tree'], '["tree"]'],
    [[], '[]'],
    [[Number.NaN, undefined], '[NaN,undefined]'],
    [[{ a: 1 }, [2], () => 3], '[an object,an array of 1,a function]'],
    [Array.from({ length: 1000 }, (_, i) => i), `[${Array.from({ length: 40 }, (_, i) => i).join(',')}`.slice(0, 77) + '...'],
    [() => 1, 'a function'],
    [{ authorization: 'Bearer secret' }, 'an object'],
    [new Map([['a', 1]]), 'an object'],
  ])('renders %s as %s', (value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });

  it('never prints what an object holds, however deep', () => {
    const secret = { headers: { authorization: 'Bearer hunter2' } };
    expect(describeValue(secret)).not.toContain('hunter2');
    expect(describeValue([secret])).not.toContain('hunter2');
    expect(new ExperimentConfigError('headers', secret, 'must map header names to values').message).not.toContain('hunter2');
  });

  it('renders a cyclic array without looping', () => {
    const cyclic: unknown[] = [1];
    cyclic.push(cyclic);
    expect(describeValue(cyclic)).toBe('[1,an array of 2]');
  });
});

// How long a value may be in an error message: at most 80 characters, a longer description cut
// to 77 and "...", and an array read no further than the 41 items that can show (docs/spec.md:
// an error names the value; a hostile config must not make that slow).
describe('describeValue: the 80-character limit', () => {
  it('writes a description of exactly 80 characters whole, and cuts one of 81 to 77 and "..."', () => {
    const eighty = 'x'.repeat(78); // with its quotes: 80 characters
    expect(describeValue(eighty)).toBe(`"${eighty}"`);
    expect(describeValue(`${eighty}y`)).toBe(`"${'x'.repeat(76)}...`);
    expect(describeValue(`${eighty}y`)).toHaveLength(80);
  });

  it('reads no more than the first 41 items of a long array', () => {
    const read = new Set<number>();
    const items = new Proxy(
      Array.from({ length: 100_000 }, (_, i) => i),
      {
        get(target, key, receiver) {
          if (typeof key === 'string' && /^\d+$/.test(key)) read.add(Number(key));
          return Reflect.get(target, key, receiver);
        },
      },
    );
    expect(describeValue(items)).toBe(`[${Array.from({ length: 41 }, (_, i) => i).join(',')}`.slice(0, 77) + '...');
    expect(Math.max(...read)).toBe(40);
  });
});
