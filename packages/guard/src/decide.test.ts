import { describe, expect, it } from 'vitest';
import { decideLook } from './decide.js';
import { parsePlan } from './plan.js';
import { emptyTallies } from './tally.js';

// The sample ratio check of a look, on its own: strict (always-valid p < 0.001), so that the
// chance imbalance of a stage looked at every interval does not hold it.
const plan = parsePlan({ experiment: 'checkout_v2', variants: ['old', 'new'], events: ['checkout_error'], guardrails: ['rate:checkout_error:2%:5%'], stages: [{ percent: 50, minDuration: '1h' }] });
const reasonAt = (exposures: number[]) =>
  decideLook(plan, { stage: 0, stageStartedAt: '2026-12-01T00:00:00.000Z', tallies: emptyTallies(plan, 0), exposures, sourceError: null, now: new Date('2026-12-01T02:00:00.000Z') }).reason;

describe('the sample ratio check', () => {
  it('holds only on a split far from the stage: always-valid p below 0.001, not 0.05', () => {
    // 5,350 of 10,350 treated at 50%: always-valid p ≈ 0.016 (z 3.4), which a 5% test would flag.
    expect(reasonAt([5000, 5350])).toBe('guardrail-pending');
    // 5,500 of 10,500: p ≈ 0.00007.
    expect(reasonAt([5000, 5500])).toBe('sample-ratio-mismatch');
  });
});
