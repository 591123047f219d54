import { describe, expect, it } from 'vitest';
import { holmAdjust } from './holm.js';
import { reference } from './reference.test-helper.js';

describe('holmAdjust', () => {
  it.each(reference.holm as { pValues: number[]; adjusted: number[] }[])('matches the reference for $pValues', ({ pValues, adjusted }) => {
    holmAdjust(pValues).forEach((p, i) => expect(p).toBeCloseTo(adjusted[i]!, 14));
  });

  it('never lowers a p-value and keeps the order of the ranks', () => {
    const ps = [0.2, 0.001, 0.04, 0.03, 0.5];
    const adjusted = holmAdjust(ps);
    adjusted.forEach((p, i) => expect(p).toBeGreaterThanOrEqual(ps[i]!));
    expect(adjusted[1]!).toBeLessThanOrEqual(adjusted[3]!);
    expect(adjusted[3]!).toBeLessThanOrEqual(adjusted[2]!);
  });

  it('handles no p-values and refuses values outside [0, 1]', () => {
    expect(holmAdjust([])).toEqual([]);
    expect(() => holmAdjust([0.1, 1.2])).toThrow('pValues[1] is 1.2, must be from 0 to 1');
  });
});
