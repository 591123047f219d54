import { describe, expect, it, vi } from 'vitest';
import { ExperimentConfigError } from './errors.js';
import { rolloutFromFractionEnv, rolloutFromPercentEnv } from './env.js';

describe('rolloutFromPercentEnv', () => {
  it('reads the runbook ladder as percents', () => {
    for (const value of ['0', '5', '10', '25', '50', '100', '12.5', '0.01', '99.9999']) {
      expect(rolloutFromPercentEnv('SKILL_TREE_LIST_ROLLOUT', { SKILL_TREE_LIST_ROLLOUT: value })).toBe(Number(value));
    }
  });

  it('tolerates surrounding whitespace from .env files', () => {
    expect(rolloutFromPercentEnv('R', { R: ' 10 \n' })).toBe(10);
  });

  it.each(['ten', '150', '-1', '0.1.2', '', '1e1', '10%', '0x10', '100.0001', '.5', '12.34567', 'NaN'])(
    'rejects %j naming the variable and the value',
    (value) => {
      const read = () => rolloutFromPercentEnv('SKILL_TREE_LIST_ROLLOUT', { SKILL_TREE_LIST_ROLLOUT: value });
      expect(read).toThrow(ExperimentConfigError);
      expect(read).toThrow(`SKILL_TREE_LIST_ROLLOUT must be a percent from 0 to 100`);
      expect(read).toThrow(`got ${JSON.stringify(value.trim())}`);
    },
  );

  it('starts the error for a bad value with "environment:" and names the variable', () => {
    expect(() => rolloutFromPercentEnv('SKILL_TREE_LIST_ROLLOUT', { SKILL_TREE_LIST_ROLLOUT: '101' })).toThrow(
      /^environment: SKILL_TREE_LIST_ROLLOUT must be a percent from 0 to 100/,
    );
  });

  it('treats an unset variable as an error unless a default is given explicitly', () => {
    expect(() => rolloutFromPercentEnv('SKILL_TREE_LIST_ROLLOUT', {})).toThrow(/SKILL_TREE_LIST_ROLLOUT must be set/);
    expect(rolloutFromPercentEnv('SKILL_TREE_LIST_ROLLOUT', {}, { default: 0 })).toBe(0);
  });

  it('returns a default as it is, unchecked and unrounded (defineExperiment checks it where it is used)', () => {
    expect(rolloutFromPercentEnv('UNSET', {}, { default: 12.34567 })).toBe(12.34567);
  });
});

describe('rolloutFromFractionEnv', () => {
  it('turns fractions into exact percents', () => {
    expect(rolloutFromFractionEnv('PILOT_ROLLOUT_PCT', { PILOT_ROLLOUT_PCT: '0.10' })).toBe(10);
    expect(rolloutFromFractionEnv('P', { P: '0.1' })).toBe(10);
    expect(rolloutFromFractionEnv('P', { P: '0.07' })).toBe(7);
    expect(rolloutFromFractionEnv('P', { P: '0.000001' })).toBe(0.0001);
    expect(rolloutFromFractionEnv('P', { P: '0' })).toBe(0);
    expect(rolloutFromFractionEnv('P', { P: '1' })).toBe(100);
    expect(rolloutFromFractionEnv('P', { P: '1.0' })).toBe(100);
  });

  it.each(['ten', '150', '-1', '0.1.2', '', '1.5', '.5', '0.0000001', '2'])('rejects %j', (value) => {
    const read = () => rolloutFromFractionEnv('PILOT_ROLLOUT_PCT', { PILOT_ROLLOUT_PCT: value });
    expect(read).toThrow(ExperimentConfigError);
    expect(read).toThrow(/PILOT_ROLLOUT_PCT must be a fraction from 0 to 1/);
  });

  it.each([
    ['10', '0.1'],
    ['57.1', '0.571'],
    ['99.99', '0.9999'],
    ['12.5', '0.125'],
    ['33.3333', '0.333333'],
    ['100', '1'],
    ['2', '0.02'],
    ['1.5', '0.015'],
  ])('hints at the fraction when a percent was written: %s → %s, itself a valid fraction', (percent, fraction) => {
    const read = () => rolloutFromFractionEnv('PILOT_ROLLOUT_PCT', { PILOT_ROLLOUT_PCT: percent });
    const rule = 'must be a fraction from 0 to 1 with at most 6 decimals, like 0.10';
    expect(read).toThrow(`environment: PILOT_ROLLOUT_PCT ${rule} (for ${percent}% write ${fraction}), got "${percent}"`);
    expect(rolloutFromFractionEnv('P', { P: fraction })).toBe(Number(percent));
  });

  it.each(['150', '100.5', '12.34567', '0.0000001', 'ten', '-1', '', '1e1'])('gives no hint for %j, which is no valid percent either', (value) => {
    expect(() => rolloutFromFractionEnv('PILOT_ROLLOUT_PCT', { PILOT_ROLLOUT_PCT: value })).toThrow(
      `PILOT_ROLLOUT_PCT must be a fraction from 0 to 1 with at most 6 decimals, like 0.10, got ${JSON.stringify(value)}`,
    );
  });

  it('returns the default, as it is and in percent, only when the variable is unset', () => {
    expect(rolloutFromFractionEnv('PILOT_ROLLOUT_PCT', {}, { default: 10 })).toBe(10);
    expect(rolloutFromFractionEnv('PILOT_ROLLOUT_PCT', { OTHER: '0.5' }, { default: 0 })).toBe(0);
    expect(rolloutFromFractionEnv('PILOT_ROLLOUT_PCT', { PILOT_ROLLOUT_PCT: '0.25' }, { default: 10 })).toBe(25);
    for (const empty of ['', '  ']) {
      expect(() => rolloutFromFractionEnv('PILOT_ROLLOUT_PCT', { PILOT_ROLLOUT_PCT: empty }, { default: 10 })).toThrow(
        'PILOT_ROLLOUT_PCT must be a fraction from 0 to 1 with at most 6 decimals, like 0.10, got ""',
      );
    }
  });

  it('treats an unset variable as an error without a default, saying what to set', () => {
    expect(() => rolloutFromFractionEnv('PILOT_ROLLOUT_PCT', {})).toThrow(
      'environment: PILOT_ROLLOUT_PCT must be set to a fraction from 0 to 1 with at most 6 decimals, like 0.10, got undefined',
    );
    expect(() => rolloutFromFractionEnv('PILOT_ROLLOUT_PCT', {}, {})).toThrow('PILOT_ROLLOUT_PCT must be set to a fraction');
  });

  it('exposes the field and value on the error', () => {
    try {
      rolloutFromFractionEnv('PILOT_ROLLOUT_PCT', { PILOT_ROLLOUT_PCT: 'ten' });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ field: 'PILOT_ROLLOUT_PCT', value: 'ten' });
    }
  });
});

// Without an environment given, both readers read process.env. Where there is no `process` (a
// browser, some edge runtimes) they see an empty environment: the default when one is given,
// else the "must be set" error. Never a TypeError.
function withoutProcess<T>(run: () => T): T {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'process')!;
  Object.defineProperty(globalThis, 'process', { value: undefined, configurable: true, writable: true });
  try {
    return run();
  } finally {
    Object.defineProperty(globalThis, 'process', descriptor);
  }
}

describe('the environment both readers read by default', () => {
  it.each([
    ['rolloutFromPercentEnv', rolloutFromPercentEnv, '25', 25],
    ['rolloutFromFractionEnv', rolloutFromFractionEnv, '0.3', 30],
  ])('%s reads process.env', (_name, read, value, percent) => {
    vi.stubEnv('BUCKETRY_TEST_ROLLOUT', value);
    try {
      expect(read('BUCKETRY_TEST_ROLLOUT')).toBe(percent);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('without process, gives the default', () => {
    expect(withoutProcess(() => rolloutFromPercentEnv('SKILL_TREE_LIST_ROLLOUT', undefined, { default: 10 }))).toBe(10);
    expect(withoutProcess(() => rolloutFromFractionEnv('PILOT_ROLLOUT', undefined, { default: 25 }))).toBe(25);
  });

  it('without process and without a default, says the variable must be set, naming the environment', () => {
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
