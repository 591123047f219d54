import { describe, expect, it } from 'vitest';
import { reference } from './reference.test-helper.js';
import { sampleSizePerVariant, type SampleSizeOptions } from './sample-size.js';

type Case = SampleSizeOptions & { perVariant: number[]; treatmentRate: number };

describe('sampleSizePerVariant', () => {
  it.each(reference.sampleSize as Case[])('matches SciPy for baseline $baseline, mde $mde (relative $relative), weights $weights', (c) => {
    const result = sampleSizePerVariant(c);
    expect(result.perVariant).toEqual(c.perVariant);
    expect(result.treatmentRate).toBeCloseTo(c.treatmentRate, 15);
    expect(result.total).toBe(c.perVariant.reduce((a, b) => a + b, 0));
  });

  it('reproduces the published table (alpha 0.05, power 0.8)', () => {
    const per = (baseline: number, mde: number) => sampleSizePerVariant({ baseline, mde, relative: true }).perVariant[0];
    expect([per(0.1, 0.05), per(0.05, 0.1), per(0.02, 0.05), per(0.3, 0.02)]).toEqual([57_760, 31_231, 315_204, 92_086]);
  });

  it('needs more units for a smaller effect, a smaller alpha or more power', () => {
    const base = sampleSizePerVariant({ baseline: 0.1, mde: 0.01 }).perVariant[0]!;
    expect(sampleSizePerVariant({ baseline: 0.1, mde: 0.005 }).perVariant[0]!).toBeGreaterThan(base);
    expect(sampleSizePerVariant({ baseline: 0.1, mde: 0.01, alpha: 0.01 }).perVariant[0]!).toBeGreaterThan(base);
    expect(sampleSizePerVariant({ baseline: 0.1, mde: 0.01, power: 0.9 }).perVariant[0]!).toBeGreaterThan(base);
  });

  it('names the field, the value and the rule on bad input', () => {
    expect(() => sampleSizePerVariant({ baseline: 1.2, mde: 0.1 })).toThrow('baseline is 1.2, must be between 0 and 1');
    expect(() => sampleSizePerVariant({ baseline: 0.1, mde: 0 })).toThrow('mde is 0, must be a non-zero number');
    expect(() => sampleSizePerVariant({ baseline: 0.9, mde: 0.2 })).toThrow('the treatment rate 1.1 must be between 0 and 1');
    expect(() => sampleSizePerVariant({ baseline: 0.1, mde: 0.1, variants: 1 })).toThrow('variants is 1, must be a whole number >= 2');
    expect(() => sampleSizePerVariant({ baseline: 0.1, mde: 0.1, weights: [1, 0] })).toThrow('weights is [1,0], must be 2 numbers > 0');
  });
});
