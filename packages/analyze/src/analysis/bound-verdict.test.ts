import { describe, expect, it } from 'vitest';
import { boundsLevel, judgeBounds } from './bound-verdict.js';
import { sequentialOptions } from './options.js';

describe('judgeBounds', () => {
  it('below a limit: proceeds on the upper bound, rolls back when even the lower bound is above, else holds', () => {
    expect(judgeBounds(-0.31, -0.13, -0.1, '−10.0%', 'below')).toEqual({ outcome: 'proceed', value: -0.13, why: 'upper bound −13.0% < −10.0%' });
    expect(judgeBounds(0.08, 0.2, 0.05, '+5.0%', 'below')).toEqual({ outcome: 'rollback', value: 0.2, why: 'even the lower bound +8.0% is above +5.0%' });
    expect(judgeBounds(-0.02, 0.07, 0.05, '+5.0%', 'below')).toEqual({ outcome: 'hold', value: 0.07, why: 'upper bound +7.0% is not below +5.0% yet' });
  });

  it('above a limit: the mirror image, on the lower bound', () => {
    expect(judgeBounds(-0.03, 0.1, -0.05, '−5.0%', 'above')).toEqual({ outcome: 'proceed', value: -0.03, why: 'lower bound −3.0% > −5.0%' });
    expect(judgeBounds(-0.4, -0.2, -0.05, '−5.0%', 'above')).toEqual({ outcome: 'rollback', value: -0.4, why: 'even the upper bound −20.0% is below −5.0%' });
    expect(judgeBounds(-0.122, 0.1, -0.1, '−10.0%', 'above')).toEqual({ outcome: 'hold', value: -0.122, why: 'lower bound −12.2% is not above −10.0% yet' });
  });
});

describe('boundsLevel', () => {
  it('names the one-sided level, or the always-valid one when those tests decide', () => {
    expect(boundsLevel(0.05, undefined)).toBe('95% one-sided');
    expect(boundsLevel(0.05, sequentialOptions(0.95))).toBe('95% one-sided');
    expect(boundsLevel(0.1, sequentialOptions(0.95, true))).toBe('always-valid 90%');
  });
});
