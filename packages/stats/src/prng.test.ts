import { describe, expect, it } from 'vitest';
import { chiSquareGoodnessOfFit } from './chi-square.js';
import { Random } from './prng.js';

describe('Random', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const seqA = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  it('is uniform on [0, 1): chi-square over 20 bins of 100,000 draws stays below the 0.999 quantile', () => {
    const random = new Random(7);
    const bins = new Array<number>(20).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const x = random.next();
      expect(x >= 0 && x < 1).toBe(true);
      bins[Math.floor(x * 20)]!++;
    }
    expect(chiSquareGoodnessOfFit(bins, bins.map(() => 1)).pValue).toBeGreaterThan(0.001);
  });

  it('draws normals with mean 0 and variance 1, and exponentials with the asked mean', () => {
    const random = new Random(11);
    const n = 200_000;
    let sum = 0;
    let squares = 0;
    let exp = 0;
    for (let i = 0; i < n; i++) {
      const z = random.normal();
      sum += z;
      squares += z * z;
      exp += random.exponential(3);
    }
    // Tolerances are about 4 standard errors.
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(squares / n - 1)).toBeLessThan(0.013);
    expect(Math.abs(exp / n - 3)).toBeLessThan(0.027);
  });

  it('writes hex ids of the asked length', () => {
    expect(new Random(1).hex(12)).toMatch(/^[0-9a-f]{12}$/);
  });
});
