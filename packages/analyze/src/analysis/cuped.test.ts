import { describe, expect, it } from 'vitest';
import { formatText } from '../format/text.js';
import { closeTo } from '../reference.test-helper.js';
import { analyzeText } from './hand-written-export.test-helper.js';
import { resolveOptions } from './options.js';
import type { CupedMetric } from './cuped.js';
import { welchMismatches, type WelchReference } from '../../../../test-support/welch-reference.js';
import { analyseFixture, segmentCupedReference as reference } from './segment-cuped.test-helper.js';

interface CupedReference {
  units: number[];
  unitsWithPrePeriod: number[];
  theta: number;
  adjustedMeans: number[];
  difference: WelchReference;
  unadjusted: WelchReference;
  varianceReduction: number;
}

const near = (actual: number, expected: number) => closeTo(actual, expected, 1e-6, 1e-12);

/** The analyzer's numbers for a metric beside NumPy's, those that differ beyond 1e-6, named. */
function mismatches(metric: CupedMetric, want: CupedReference): string[] {
  const c = metric.comparisons[0]!;
  const u = c.unadjustedDifference;
  const got = [c.theta, c.adjustedMeans?.control, c.adjustedMeans?.treatment, u?.estimate, u?.standardError, c.unadjustedPValue, c.varianceReduction];
  const expected = [want.theta, ...want.adjustedMeans, want.unadjusted.estimate, want.unadjusted.standardError, want.unadjusted.pValue, want.varianceReduction];
  const names = ['theta', 'adjusted control', 'adjusted treatment', 'unadjusted difference', 'unadjusted SE', 'unadjusted p', 'variance reduction'];
  const others = expected.flatMap((x, i) => (typeof got[i] === 'number' && near(got[i], x) ? [] : [`${names[i]}: ${got[i]} vs ${x}`]));
  return [...welchMismatches(c, want.difference, near), ...others];
}

/** Where two plain-data values differ: numbers beyond 1e-12 relative, anything else at all. */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (typeof a === 'number' && typeof b === 'number') return closeTo(a, b, 1e-12) ? [] : [`${path}: ${a} vs ${b}`];
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return Object.is(a, b) ? [] : [`${path}: ${String(a)} vs ${String(b)}`];
}

describe('CUPED', async () => {
  const report = await analyseFixture();
  const cuped = report.cuped!;
  const metric = (kind: CupedMetric['kind']) => cuped.metrics.find((m) => m.kind === kind)!;

  it.each(['conversion', 'duration', 'value'] as const)('%s: θ, adjusted means, difference, SE, interval, p and variance reduction match NumPy/SciPy to 1e-6', (kind) => {
    expect(mismatches(metric(kind), reference.cuped[kind])).toEqual([]);
  });

  it.each(['conversion', 'duration', 'value'] as const)('%s: the units measured and those with a pre-period (X ≠ 0) per arm', (kind) => {
    const m = metric(kind);
    expect(m.variants.map((v) => v.units)).toEqual(reference.cuped[kind].units);
    expect(m.variants.map((v) => v.unitsWithPrePeriod)).toEqual(reference.cuped[kind].unitsWithPrePeriod);
  });

  it('counts the events in the window, and leaves out those older than it', () => {
    // Orders (the success metric's events and the value metric's) are kept in two series, durations in one.
    const { inWindow, olderThanWindow } = reference.cuped;
    expect(cuped.prePeriodEvents).toEqual({
      inWindow: 2 * inWindow.orders + inWindow.loads,
      olderThanWindow: 2 * olderThanWindow.orders + olderThanWindow.loads,
      straddlingWindowStart: 0,
      resetUnits: 0,
      droppedDurations: 0,
    });
    expect(cuped.windowMs).toBe(14 * 86_400_000);
  });

  it('words each difference on its scale in the text report: points, signed milliseconds, numbers', () => {
    const text = formatText(report);
    expect(text).toContain('\n    treatment vs control: adjusted +0.60 pts [−2.41 pts, +3.61 pts], Welch t = 0.39');
    expect(text).toContain('\n    treatment vs control: adjusted −21.6 ms [−41.2 ms, −1.9 ms], Welch t = −2.15');
    expect(text).toContain('\n    treatment vs control: adjusted −0.09 [−2.74, +2.55], Welch t = −0.07');
    // The report's own durations section, signed the same way.
    expect(text).toContain('\n    treatment vs control: mean −25.9 ms [−46.4 ms, −5.4 ms], Welch t = −2.48');
  });

  it('is the same with worker threads', async () => {
    const threaded = await analyseFixture({ threads: 2 });
    expect(threaded.cuped).toEqual(cuped);
  });

  it('leaves the unadjusted analysis and the decision as they are (to rounding: the units are summed in another order)', async () => {
    const plain = await analyseFixture({ cupedWindowMs: undefined });
    expect(plain.cuped).toBeNull();
    for (const part of ['metrics', 'values', 'durations', 'guardrails', 'variants', 'srm'] as const) expect(differences(plain[part], report[part]), part).toEqual([]);
    expect(plain.decision).toBe(report.decision);
  });
});

describe('CUPED covariates from an export', () => {
  const DAY = 86_400_000;
  const at = (ms: number) => new Date(Date.parse('2026-06-01T00:00:00Z') + ms).toISOString();
  const exposure = (unit: string, variant: string, t: number) => JSON.stringify({ event: 'experiment_exposure', userId: unit, timestamp: at(t), properties: { experiment: 'x', variant } });
  const view = (unit: string, t: number) => JSON.stringify({ event: 'view', userId: unit, timestamp: at(t) });
  const analyse = (lines: string[]) =>
    analyzeText(lines, { experiment: 'x', variants: ['a', 'b'], metrics: ['view'], cupedWindowMs: 7 * DAY });

  it('gives X = 1 for an event within the window before the first exposure, X = 0 for one before the window or none', async () => {
    const report = await analyse([
      view('in', 0), // 6 days before its exposure: in the window
      view('old', 0), // 8 days before: not
      exposure('in', 'a', 6 * DAY),
      exposure('old', 'a', 8 * DAY),
      exposure('none', 'b', 8 * DAY),
      exposure('b2', 'b', 8 * DAY),
      view('b2', 7 * DAY), // 1 day before its exposure
      view('none', 9 * DAY), // after: a conversion, not a covariate
      // Events read after their unit's exposure but earlier in time: judged against the known window.
      exposure('late-in', 'a', 8 * DAY),
      exposure('late-old', 'b', 8 * DAY),
      view('late-in', 1.5 * DAY), // 6.5 days before
      view('late-old', 0.5 * DAY), // 7.5 days before
    ]);
    const m = report.cuped!.metrics[0]!;
    expect(m.variants.map((v) => [v.units, v.unitsWithPrePeriod])).toEqual([
      [3, 2],
      [3, 1],
    ]);
    expect(report.cuped!.prePeriodEvents).toMatchObject({ inWindow: 3, olderThanWindow: 2, straddlingWindowStart: 0 });
  });

  it('pools θ over control and the one treatment compared: a third arm changes nothing of it', async () => {
    // Unit k of arm v: a view k % 3 days before exposure for two units in three, and a view after for some.
    const lines = (arms: string[]) =>
      arms.flatMap((arm, v) =>
        Array.from({ length: 60 }, (_, k) => {
          const unit = `${arm}${k}`;
          const out = [exposure(unit, arm, 10 * DAY)];
          if (k % 3 !== 0) out.unshift(view(unit, 10 * DAY - ((k % 3) + 1) * DAY));
          if ((k * (v + 3)) % 7 < 3 || (k % 3 === 1 && k % 2 === 0)) out.push(view(unit, 11 * DAY));
          return out;
        }).flat(),
      );
    const run = (arms: string[]) =>
      analyzeText(lines(arms), { experiment: 'x', variants: arms, metrics: ['view'], cupedWindowMs: 7 * DAY });
    const three = (await run(['a', 'b', 'c'])).cuped!.metrics[0]!;
    const two = (await run(['a', 'b'])).cuped!.metrics[0]!;
    expect(three.comparisons).toHaveLength(2);
    expect(three.comparisons[0]).toEqual(two.comparisons[0]);
    expect(three.comparisons[1]!.theta).not.toBe(three.comparisons[0]!.theta);
  });

  it('keeps pre-period durations of the first 16 event names, and counts and reports those of the others', async () => {
    const loads = (names: number) => Array.from({ length: names }, (_, k) => JSON.stringify({ event: `load_${k}`, userId: 'u1', timestamp: at(DAY + k), properties: { duration_ms: 100 + k } }));
    const report = await analyse([...loads(18), exposure('u1', 'a', 2 * DAY), exposure('u2', 'b', 2 * DAY)]);
    expect(report.cuped!.prePeriodEvents).toMatchObject({ inWindow: 16, droppedDurations: 2 });
    expect(formatText(report)).toContain(', 2 durations of events beyond the first 16 names left out');
    const one = await analyse([...loads(17), exposure('u1', 'a', 2 * DAY), exposure('u2', 'b', 2 * DAY)]);
    expect(formatText(one)).toContain(', 1 duration of events beyond the first 16 names left out');
  });

  it('reports no θ when no unit had a pre-period (X does not vary)', async () => {
    const lines = ['u1', 'u2', 'u3', 'u4'].flatMap((u, i) => [exposure(u, i % 2 ? 'b' : 'a', DAY), view(u, 2 * DAY + i)]);
    const c = (await analyse(lines)).cuped!.metrics[0]!.comparisons[0]!;
    expect([c.theta, c.difference, c.varianceReduction]).toEqual([null, null, null]);
  });
});

describe('CUPED options', () => {
  it('take a window from an hour to 366 days, the error naming the option, the value and the rule', () => {
    const base = { experiment: 'x', variants: ['a', 'b'] };
    expect(() => resolveOptions({ ...base, cupedWindowMs: 60_000 })).toThrow('cupedWindowMs is 60000, must be a duration in ms from 3600000 (1 hour) to 31622400000 (366 days)');
    expect(() => resolveOptions({ ...base, cupedWindowMs: Number.NaN })).toThrow('cupedWindowMs is null');
    expect(resolveOptions({ ...base, cupedWindowMs: 3_600_000 }).cupedWindowMs).toBe(3_600_000);
    expect(resolveOptions(base).cupedWindowMs).toBeUndefined();
  });
});
