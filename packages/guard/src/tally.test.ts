import { describe, expect, it } from 'vitest';
import { parsePlan } from './plan.js';
import { EMPTY_COUNTS, emptyTallies, recentArm, StageTally, withRecent } from './tally.js';

const plan = parsePlan({
  experiment: 'checkout_v2',
  variants: ['old', 'new'],
  events: ['checkout_error', 'checkout_loaded', 'llm_call'],
  guardrails: ['rate:checkout_error:2%:5%', 'p95:checkout_loaded:5s:10s', 'mean:llm_call.cost_usd:0.02:0.05'],
  stages: [{ percent: 5, minDuration: '1h' }],
});
const fresh = () => new StageTally(plan, { tallies: emptyTallies(plan, 0), exposures: [0, 0], units: {}, counts: EMPTY_COUNTS });
const line = (event: string, unit: string, at: string, properties: object = {}) => JSON.stringify({ event, userId: unit, timestamp: `2026-12-01T${at}Z`, properties });
const exposure = (unit: string, variant: string, at = '00:00:00', experiment = 'checkout_v2') => line('experiment_exposure', unit, at, { experiment, variant });

describe('a stage tally', () => {
  it('counts a unit once however often it is exposed, and each guardrail event once per unit for rates', () => {
    const tally = fresh();
    for (const text of [exposure('u1', 'new'), exposure('u1', 'new', '00:05:00'), exposure('u2', 'old'), line('checkout_error', 'u1', '00:01:00'), line('checkout_error', 'u1', '00:02:00')]) tally.line(text);
    const { tallies, exposures } = tally.snapshot();
    expect(exposures).toEqual([1, 1]);
    expect(tallies[0]!.arms.map((a) => [a.n, a.hits])).toEqual([[1, 0], [1, 1]]);
  });

  it('tallies durations against both limits and values as sums, per arm', () => {
    const tally = fresh();
    for (const text of [
      exposure('u1', 'new'),
      line('checkout_loaded', 'u1', '00:01:00', { duration_ms: 4000 }),
      line('checkout_loaded', 'u1', '00:01:00', { duration_ms: 6000 }),
      line('checkout_loaded', 'u1', '00:01:00', { latency_ms: 12000 }),
      line('llm_call', 'u1', '00:01:00', { cost_usd: 0.01 }),
      line('llm_call', 'u1', '00:01:00', { cost_usd: 0.03 }),
    ]) tally.line(text);
    const [, durations, values] = tally.snapshot().tallies;
    expect(durations!.arms[1]).toMatchObject({ n: 3, hits: 2, over: 1 });
    expect(values!.arms[1]).toMatchObject({ n: 2, sum: 0.04 });
    expect(values!.arms[1]!.sumSquares).toBeCloseTo(0.001, 10);
  });

  it('counts what it cannot use: bad lines, other exposures, events of units not exposed or before their exposure', () => {
    const tally = fresh();
    for (const text of ['{not json', '{"event":"x"}', exposure('u1', 'new', '00:10:00'), exposure('u9', 'new', '00:00:00', 'other'), exposure('u8', 'beta'), line('checkout_error', 'u1', '00:05:00'), line('checkout_error', 'u7', '00:05:00'), line('page_view', 'u1', '00:11:00'), '']) tally.line(text);
    expect(tally.snapshot().counts).toEqual({ lines: 8, badLines: 2, otherExposures: 2, unattributed: 2, bytesRead: 0 });
  });

  it('credits an event read before the exposure of its unit within the same read (same millisecond, another file)', () => {
    const tally = fresh();
    for (const text of [line('checkout_error', 'u1', '00:00:00'), line('checkout_error', 'u3', '00:00:00'), exposure('u1', 'new', '00:00:00'), exposure('u2', 'old')]) tally.line(text);
    const { tallies, counts } = tally.snapshot();
    expect(tallies[0]!.arms[1]).toMatchObject({ n: 1, hits: 1 });
    expect(counts.unattributed).toBe(1); // u3 was never exposed
  });

  it('leaves out exposures timed before the stage started, counting them', () => {
    const tally = new StageTally(plan, { tallies: emptyTallies(plan, 0), exposures: [0, 0], units: {}, counts: EMPTY_COUNTS, stageStartedAt: '2026-12-01T00:10:00Z' });
    for (const text of [exposure('u1', 'old', '00:09:59'), exposure('u2', 'new', '00:10:00'), line('checkout_error', 'u1', '00:11:00')]) tally.line(text);
    const { exposures, counts } = tally.snapshot();
    expect(exposures).toEqual([0, 1]);
    expect(counts).toMatchObject({ beforeStage: 1, unattributed: 1 });
  });

  it('leaves the state it starts from as it was: a look whose read fails falls back to it', () => {
    const exposedAt = Date.parse('2026-12-01T00:00:00Z');
    const from = { tallies: emptyTallies(plan, 0), exposures: [0, 1], units: { u1: [1, exposedAt, 0] as [number, number, number] }, counts: EMPTY_COUNTS };
    const tally = new StageTally(plan, from);
    tally.line(line('checkout_error', 'u1', '00:01:00'));
    const after = tally.snapshot();
    expect(after.units.u1).toEqual([1, exposedAt, 1]);
    expect(after.tallies[0]!.arms[1]!.hits).toBe(1);
    expect(from.units.u1).toEqual([1, exposedAt, 0]);
    expect(from.tallies[0]!.arms[1]!.hits).toBe(0);
  });

  it('keeps what each look added within the recent window, the oldest dropped', () => {
    const tally = fresh();
    let windowed = tally.talliesNow();
    for (let look = 0; look < 4; look++) {
      tally.line(exposure(`u${look}`, 'new'));
      windowed = withRecent(windowed, tally.talliesNow(), 3);
    }
    expect(windowed[0]!.arms[1]!.n).toBe(4);
    expect(windowed[0]!.recent).toHaveLength(3);
    expect(recentArm(windowed[0]!, 1)!.n).toBe(3);
    expect(recentArm(windowed[0]!, 0)).toBeUndefined();
  });
});
