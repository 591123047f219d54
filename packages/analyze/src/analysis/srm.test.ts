import { describe, expect, it } from 'vitest';
import { DEFAULT_SRM_POLICY } from '../policy/policy.js';
import { checkSampleRatio } from './srm.js';

describe('checkSampleRatio', () => {
  it('passes a split that matches its weights and fails one that does not', () => {
    expect(checkSampleRatio([9050, 950], [90, 10], DEFAULT_SRM_POLICY).status).toBe('ok');
    // 9500/500 against 90/10: p ≈ 2e-62.
    expect(checkSampleRatio([9500, 500], [90, 10], DEFAULT_SRM_POLICY)).toMatchObject({ status: 'fail', expectedUnits: [9000, 1000] });
  });

  it('warns between the thresholds: p = 0.0048 is below 0.01 but not below 0.001', () => {
    // 5140/4860 at 50/50: chi-square 7.84, p = 0.00511.
    const check = checkSampleRatio([5140, 4860], [1, 1], DEFAULT_SRM_POLICY);
    expect(check.pValue).toBeGreaterThan(0.001);
    expect(check.pValue).toBeLessThan(0.01);
    expect(check.status).toBe('warn');
    expect(checkSampleRatio([5140, 4860], [1, 1], { ...DEFAULT_SRM_POLICY, failBelow: 0.006 }).status).toBe('fail');
  });

  it('fails when units reach a variant whose weight is 0', () => {
    expect(checkSampleRatio([2, 1000], [0, 100], DEFAULT_SRM_POLICY)).toMatchObject({ status: 'fail', pValue: 0 });
    expect(checkSampleRatio([0, 1000], [0, 100], DEFAULT_SRM_POLICY)).toMatchObject({ status: 'ok', pValue: 1 });
  });
});
