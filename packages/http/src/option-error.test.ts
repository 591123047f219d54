import { ExperimentConfigError } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { invalidOption, OptionError, withPackageName } from './option-error.js';
import { optionError } from './test-support/option-error.js';

describe('OptionError', () => {
  it('names the option, the value and the rule, and keeps them as properties', () => {
    const error = new OptionError('cookies.sameSite', 'lax', 'must be "Lax", "Strict" or "None"');
    expect(error.message).toBe('cookies.sameSite must be "Lax", "Strict" or "None", got "lax"');
    expect([error.name, error.field, error.value, error.rule]).toEqual(['OptionError', 'cookies.sameSite', 'lax', 'must be "Lax", "Strict" or "None"']);
  });

  it('is core’s error for a bad configuration, and a TypeError', () => {
    const error = new OptionError('expose', 'yes', 'must be true or false');
    expect(error).toBeInstanceOf(ExperimentConfigError);
    expect(error).toBeInstanceOf(TypeError);
  });

  it('starts with the package name it is made with', () => {
    expect(new OptionError('expose', 'yes', 'must be true or false', '@bucketry/next').message).toBe(
      '@bucketry/next: expose must be true or false, got "yes"',
    );
  });

  it('shows a value as core does: objects named, never printed', () => {
    expect(new OptionError('headers', { authorization: 'Bearer hunter2' }, 'must map header names to values').message).toBe(
      'headers must map header names to values, got an object',
    );
  });

  it('is what invalidOption throws', () => {
    expect(() => invalidOption('user', 'x-user-id', 'must be a function')).toThrow(new OptionError('user', 'x-user-id', 'must be a function'));
    expect(() => invalidOption('details', 42, 'must be a function', '@bucketry/express')).toThrow(
      /^@bucketry\/express: details must be a function, got 42$/,
    );
  });
});

describe('withPackageName', () => {
  it('makes every OptionError its checks throw with the package name, stack included', () => {
    const error = optionError(() => withPackageName('@bucketry/next', () => invalidOption('expose', 'yes', 'must be true or false')));
    expect(error.message).toBe('@bucketry/next: expose must be true or false, got "yes"');
    expect(error.stack).toContain('OptionError: @bucketry/next: expose must be true or false');
  });

  it('applies only while its checks run, and the innermost name wins', () => {
    const nested = optionError(() => withPackageName('@bucketry/next', () => withPackageName('@bucketry/express', () => invalidOption('a', 1, 'must be 2'))));
    expect(nested.message).toBe('@bucketry/express: a must be 2, got 1');
    const afterInner = optionError(() =>
      withPackageName('@bucketry/next', () => {
        expect(() => withPackageName('@bucketry/express', () => invalidOption('a', 1, 'must be 2'))).toThrow(/^@bucketry\/express: /);
        return invalidOption('b', 1, 'must be 2');
      }),
    );
    expect(afterInner.message).toBe('@bucketry/next: b must be 2, got 1');
    expect(optionError(() => invalidOption('a', 1, 'must be 2')).message).toBe('a must be 2, got 1');
    expect(optionError(() => withPackageName('@bucketry/next', () => invalidOption('a', 1, 'must be 2', 'mine'))).message).toBe('mine: a must be 2, got 1');
  });

  it('leaves other errors alone and returns what the checks return', () => {
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
