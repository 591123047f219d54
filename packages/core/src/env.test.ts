import { describe, expect, it } from 'vitest';
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

  it('treats an unset variable as an error unless a default is given explicitly', () => {
    expect(() => rolloutFromPercentEnv('SKILL_TREE_LIST_ROLLOUT', {})).toThrow(/SKILL_TREE_LIST_ROLLOUT must be set/);
    expect(rolloutFromPercentEnv('SKILL_TREE_LIST_ROLLOUT', {}, { default: 0 })).toBe(0);
  });

  it('reads process.env by default', () => {
    process.env.BUCKETRY_TEST_ROLLOUT = '25';
    try {
      expect(rolloutFromPercentEnv('BUCKETRY_TEST_ROLLOUT')).toBe(25);
    } finally {
      delete process.env.BUCKETRY_TEST_ROLLOUT;
    }
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

  it('hints at the fraction when a percent was written', () => {
    expect(() => rolloutFromFractionEnv('PILOT_ROLLOUT_PCT', { PILOT_ROLLOUT_PCT: '10' })).toThrow('(for 10% write 0.1)');
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
