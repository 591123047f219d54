import { describe, expect, it } from 'vitest';
import { DEFAULT_SRM_POLICY } from '../policy/policy.js';
import { Random } from '@bucketry/stats';
import { ratioLogBayesFactor, SequentialRatioTest } from '@bucketry/stats';
import { checkSampleRatio, sequentialSampleRatio } from './srm.js';
import { UnitTable } from './unit-table.js';

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
  });

  it('is not applicable, with no statistics, when one variant has all the weight (100% rollout) or there are no units', () => {
    // It used to read χ² = 0, df = 0, p = 1 → ok: a test of nothing, reported as passed.
    expect(checkSampleRatio([0, 1000], [0, 100], DEFAULT_SRM_POLICY)).toEqual({
      chiSquare: null,
      df: null,
      pValue: null,
      sequential: null,
      test: 'chi-square',
      status: 'not-applicable',
      notApplicable: 'single-variant',
      expectedUnits: [0, 1000],
    });
    expect(checkSampleRatio([0, 0], [1, 1], DEFAULT_SRM_POLICY)).toMatchObject({ status: 'not-applicable', pValue: null, notApplicable: 'no-units' });
  });

  it('judges by the sequential test when the policy says so, and reports both either way', () => {
    // 5140/4860 at 50/50: the chi-square warns (p = 0.005); the anytime-valid test needs more evidence.
    const chiSquare = checkSampleRatio([5140, 4860], [1, 1], DEFAULT_SRM_POLICY);
    const sequential = checkSampleRatio([5140, 4860], [1, 1], { ...DEFAULT_SRM_POLICY, test: 'sequential' });
    expect(chiSquare.sequential).toEqual(sequential.sequential);
    expect(chiSquare.sequential!.pValue).toBeCloseTo(Math.exp(-ratioLogBayesFactor([5140, 4860], [1, 1])), 12);
    expect([chiSquare.test, chiSquare.status, sequential.test, sequential.status]).toEqual(['chi-square', 'warn', 'sequential', 'ok']);
    expect(checkSampleRatio([9500, 500], [90, 10], { ...DEFAULT_SRM_POLICY, test: 'sequential' }).status).toBe('fail');
  });
});

describe('sequentialSampleRatio', () => {
  it('runs the test over units in order of first exposure, whatever order they were seen in, leaving out units in two variants', () => {
    const random = new Random(11);
    const units = Array.from({ length: 3000 }, (_, i) => ({ id: `u${i}`, time: 1e12 + i * 1000 + random.next() * 999, variant: random.next() < 0.85 ? 0 : 1 }));
    const table = new UnitTable(0);
    for (const unit of [...units].reverse()) table.expose(table.row(unit.id), unit.variant, unit.time);
    table.expose(table.row('both'), 0, 5e11);
    table.expose(table.row('both'), 1, 5e11);
    const expected = new SequentialRatioTest([90, 10]);
    for (const unit of units) expected.add(unit.variant);
    const result = sequentialSampleRatio(table, [90, 10]);
    expect(result.pValue).toBeCloseTo(expected.pValue, 12);
    expect(result.logBayesFactor).toBeCloseTo(expected.logBayesFactor, 9);
    expect(result.pValue).toBeLessThan(Math.exp(-expected.logBayesFactor) + 1e-12); // the running p is at most the final one
  });
});
