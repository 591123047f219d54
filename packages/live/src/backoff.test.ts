import { describe, expect, it } from 'vitest';
import { backoffDelay, jittered } from './backoff.js';

describe('backoff', () => {
  it('doubles from the initial wait up to the cap, between half and all of it', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 1_000, 5_000, () => 1))).toEqual([1_000, 2_000, 4_000, 5_000]);
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 1_000, 5_000, () => 0))).toEqual([500, 1_000, 2_000, 2_500]);
    expect(backoffDelay(500, 1_000, 300_000, () => 1)).toBe(300_000); // no overflow for long outages
  });

  it('moves an interval by up to ± the ratio', () => {
    expect(jittered(30_000, 0.1, () => 0)).toBe(27_000);
    expect(jittered(30_000, 0.1, () => 1)).toBe(33_000);
    expect(jittered(30_000, 0.1, () => 0.5)).toBe(30_000);
  });
});
