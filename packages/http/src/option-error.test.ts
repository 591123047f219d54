import { describe, expect, it } from 'vitest';
import { describeValue, invalidOption, OptionError, withPackageName } from './option-error.js';

describe('OptionError', () => {
  it('names the option, the value and the rule, and keeps them as properties', () => {
    const error = new OptionError('cookies.sameSite', 'lax', 'must be "Lax", "Strict" or "None"');
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('cookies.sameSite must be "Lax", "Strict" or "None", got "lax"');
    expect([error.field, error.value, error.rule]).toEqual(['cookies.sameSite', 'lax', 'must be "Lax", "Strict" or "None"']);
  });

  it('is what invalidOption throws', () => {
    expect(() => invalidOption('user', 'x-user-id', 'must be a function')).toThrow(new OptionError('user', 'x-user-id', 'must be a function'));
  });
});

describe('withPackageName', () => {
  it('puts the package name in front of an OptionError, once', () => {
    const fail = () => withPackageName('@bucketry/next', () => invalidOption('expose', 'yes', 'must be true or false'));
    expect(fail).toThrow(/^@bucketry\/next: expose must be true or false, got "yes"$/);
    expect(() => withPackageName('@bucketry/next', fail)).toThrow(/^@bucketry\/next: expose/);
  });

  it('leaves other errors alone and returns what the check returns', () => {
    const other = new RangeError('core said no');
    expect(() =>
      withPackageName('@bucketry/next', () => {
        throw other;
      }),
    ).toThrow(other);
    expect(other.message).toBe('core said no');
    expect(withPackageName('@bucketry/next', () => 42)).toBe(42);
  });
});

describe('describeValue', () => {
  it.each([
    ['lax', '"lax"'],
    ['x'.repeat(100), JSON.stringify(`${'x'.repeat(77)}...`)],
    [() => 1, 'a function'],
    [[1, 2], 'an array of 2'],
    [{ secret: 'hunter2' }, 'an object'],
    [null, 'null'],
    [undefined, 'undefined'],
    [1.5, '1.5'],
  ])('renders %j as %s, never an object’s contents', (value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });
});
