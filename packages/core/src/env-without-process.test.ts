import { describe, expect, it } from 'vitest';
import { rolloutFromFractionEnv, rolloutFromPercentEnv } from './env.js';

// Where there is no `process` (a browser, some edge runtimes) the readers see an empty
// environment: the default when one is given, else the "must be set" error. Never a TypeError.
function withoutProcess<T>(run: () => T): T {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'process')!;
  Object.defineProperty(globalThis, 'process', { value: undefined, configurable: true, writable: true });
  try {
    return run();
  } finally {
    Object.defineProperty(globalThis, 'process', descriptor);
  }
}

describe('rollout from the environment without process', () => {
  it('gives the default', () => {
    expect(withoutProcess(() => rolloutFromPercentEnv('SKILL_TREE_LIST_ROLLOUT', undefined, { default: 10 }))).toBe(10);
    expect(withoutProcess(() => rolloutFromFractionEnv('PILOT_ROLLOUT', undefined, { default: 25 }))).toBe(25);
  });

  it('without a default, says the variable must be set, naming the environment', () => {
    let thrown: unknown;
    withoutProcess(() => {
      try {
        rolloutFromPercentEnv('SKILL_TREE_LIST_ROLLOUT');
      } catch (error) {
        thrown = error;
      }
    });
    expect(String((thrown as Error).message)).toMatch(/^environment: SKILL_TREE_LIST_ROLLOUT must be set to a percent/);
  });
});

describe('the error for a bad value', () => {
  it('starts with "environment:" and names the variable', () => {
    expect(() => rolloutFromPercentEnv('SKILL_TREE_LIST_ROLLOUT', { SKILL_TREE_LIST_ROLLOUT: '101' })).toThrow(
      /^environment: SKILL_TREE_LIST_ROLLOUT must be a percent from 0 to 100/,
    );
  });

  it('a default is returned as it is, unchecked and unrounded (defineExperiment checks it where it is used)', () => {
    expect(rolloutFromPercentEnv('UNSET', {}, { default: 12.34567 })).toBe(12.34567);
  });
});
