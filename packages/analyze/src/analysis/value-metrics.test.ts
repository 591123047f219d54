import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseGuardrailSpec } from '../policy/guardrail-spec.js';
import { closeTo, reference } from '../reference.test-helper.js';
import { analyzeStream } from './analyze.js';
import { sequentialOptions } from './sequential-options.js';
import { type AnalyzeOptions } from './options.js';
import { compareMoments } from './value-metrics.js';

const T0 = Date.UTC(2025, 5, 2, 8);
const u = (i: number) => (Math.imul(i, 2654435761) >>> 0) / 2 ** 32;

/** The export of fixtures/make_reference.py's unit_level_data: 400 control and 380 treatment units with llm_call events (tokens, hit). */
function exportLines(): string {
  const lines: string[] = [];
  const line = (event: string, userId: string, minutes: number, properties: Record<string, unknown>) =>
    lines.push(JSON.stringify({ type: 'track', event, userId, properties, timestamp: new Date(T0 + minutes * 60_000).toISOString() }));
  for (let k = 0; k < 780; k++) {
    const treated = k >= 400;
    const user = `u${k}`;
    line('experiment_exposure', user, 0, { experiment: 'assistant_model', variant: treated ? 'small' : 'large' });
    const events = k === 400 ? 50 : Math.floor(u(k + 1) * 6);
    for (let j = 0; j < events; j++) {
      const tokens = treated ? 60 + Math.floor(u(k * 7919 + j + 3) * 700) : 100 + Math.floor(u(k * 7919 + j + 3) * 900);
      const hit = u(k * 104729 + j + 5) < (treated ? 0.35 : 0.3) ? 1 : 0;
      line('llm_call', user, 1 + j, { tokens, hit, model: treated ? 'small' : 'large' });
    }
  }
  return lines.join('\n') + '\n';
}

const OPTIONS: AnalyzeOptions = {
  experiment: 'assistant_model',
  variants: ['large', 'small'],
  values: [{ event: 'llm_call', property: 'tokens' }],
  ratios: [{ numerator: { event: 'llm_call', property: 'hit' }, denominator: { event: 'llm_call' } }],
};
const analyse = (options: Partial<AnalyzeOptions> = {}) => analyzeStream(Readable.from([Buffer.from(exportLines())]), { ...OPTIONS, ...options });
const near = (actual: number | null | undefined, expected: number, relative = 1e-9) => expect(closeTo(actual!, expected, relative, 1e-12), `${actual} vs ${expected}`).toBe(true);

describe('numeric properties of events, on units', () => {
  const fixture = reference.unitLevel;

  it('gives each variant\'s per-unit total and per-unit mean as NumPy does over the units', async () => {
    const [cost] = (await analyse()).values;
    expect(cost).toMatchObject({ event: 'llm_call', property: 'tokens' });
    cost!.variants.forEach((v, i) => {
      const want = fixture.variants[i];
      expect([v.units, v.unitsWithValues, v.values]).toEqual([want.units, want.unitsWithValues, want.values]);
      near(v.sumPerUnit.mean, want.sumPerUnit.mean);
      near(v.sumPerUnit.sd, want.sumPerUnit.sd);
      near(v.meanPerUnit.mean, want.meanPerUnit.mean);
      near(v.meanPerUnit.sd, want.meanPerUnit.sd);
    });
  });

  it.each(['sumPerUnit', 'meanPerUnit'] as const)('compares the %s with Welch\'s test on the units (scipy.stats.ttest_ind), the delta-method relative lift and the always-valid test', async (statistic) => {
    const [comparison] = (await analyse()).values[0]!.comparisons[statistic];
    const want = fixture.comparisons[statistic];
    near(comparison!.t, want.t);
    near(comparison!.df, want.df);
    near(comparison!.pValue, want.pValue, 1e-7);
    for (const end of ['estimate', 'low', 'high'] as const) {
      near(comparison!.difference![end], want.difference[end]);
      near(comparison!.relativeLift![end], want.relativeLift[end]);
    }
    near(comparison!.sequential!.pValue, want.sequentialPValue);
    near(comparison!.sequential!.relativeLift!.low, want.sequentialRelativeLift.low);
    near(comparison!.sequential!.relativeLift!.high, want.sequentialRelativeLift.high);
  });

  it('has no always-valid test where Welch\'s test does not exist (under 2 units in an arm, or no spread in either)', () => {
    const sequential = sequentialOptions(0.95);
    expect(compareMoments('b', 'a', { count: 1, mean: 5, sd: 0 }, { count: 10, mean: 6, sd: 1 }, 0.95, sequential).sequential).toBeNull();
    expect(compareMoments('b', 'a', { count: 5, mean: 5, sd: 0 }, { count: 5, mean: 6, sd: 0 }, 0.95, sequential).sequential).toBeNull();
  });

  it('gives the ratio of per-unit sums (cache hits per call) with its delta-method interval, as NumPy\'s covariance gives it', async () => {
    const [ratio] = (await analyse()).ratios;
    const want = fixture.ratio;
    ratio!.variants.forEach((v, i) => {
      expect([v.units, v.numerator, v.denominator]).toEqual([want.variants[i].units, want.variants[i].numerator, want.variants[i].denominator]);
      near(v.ratio, want.variants[i].ratio);
      near(v.interval!.low, want.variants[i].low);
      near(v.interval!.high, want.variants[i].high);
    });
    const [c] = ratio!.comparisons;
    for (const end of ['estimate', 'low', 'high'] as const) {
      near(c!.difference![end], want.difference[end]);
      near(c!.relativeLift![end], want.relativeLift[end]);
    }
    near(c!.z, want.z);
    near(c!.pValue, want.pValue, 1e-7);
    // The always-valid test over the 780 units of both arms.
    near(c!.sequential!.pValue, want.sequentialPValue);
    for (const end of ['low', 'high'] as const) {
      near(c!.sequential!.difference[end], want.sequentialDifference[end]);
      near(c!.sequential!.relativeLift![end], want.sequentialRelativeLift[end]);
    }
  });

  it('judges a level guardrail on the units\' means and a relative-change guardrail on the bounds of the lift', async () => {
    const report = await analyse({
      guardrails: [
        parseGuardrailSpec('mean:llm_call.tokens:400:500'),
        parseGuardrailSpec('lift:llm_call.tokens:-10%'),
        parseGuardrailSpec('lift:llm_call.tokens:-20%:mean'),
        parseGuardrailSpec('lift:llm_call.tokens:-35%'),
        parseGuardrailSpec('mean:llm_call.cost_usd:1:2'),
      ],
    });
    const [level, tenPercent, twentyPercent, tooMuch, missing] = report.guardrails;
    // Each unit's mean: 411.9 tokens, between the limits: hold.
    expect(level).toMatchObject({ outcome: 'hold', guardrail: { type: 'mean', event: 'llm_call', property: 'tokens', hold: 400, rollback: 500 } });
    expect(level!.arms[0]!.reading).toMatchObject({ kind: 'mean', units: fixture.variants[1].unitsWithValues });
    near(level!.arms[0]!.value, fixture.variants[1].meanPerUnit.mean);
    // Tokens per unit −21.8%, 95% one-sided upper bound −12.8% < −10%: proceed.
    const sums = fixture.comparisons.sumPerUnit;
    const upper = (c: { relativeLift: { estimate: number; low: number } }) => c.relativeLift.estimate + ((c.relativeLift.estimate - c.relativeLift.low) / 1.959963984540054) * 1.6448536269514722;
    expect(tenPercent).toMatchObject({ outcome: 'proceed', guardrail: { type: 'relative-change', event: 'llm_call', property: 'tokens', statistic: 'sum', max: -0.1 } });
    near(tenPercent!.arms[0]!.value, upper(sums), 1e-6);
    const reading = tenPercent!.arms[0]!.reading as { kind: string; estimate: number; upper: number; alpha: number; alwaysValid: boolean };
    expect(reading).toMatchObject({ kind: 'bounds', alpha: 0.05, alwaysValid: false });
    near(reading.estimate, sums.relativeLift.estimate);
    near(reading.upper, upper(sums), 1e-6);
    // Per call −25.2% in [−28.3%, −22.1%] (95%): the 95% one-sided bound is below −20%: proceed.
    expect(twentyPercent!.outcome).toBe('proceed');
    // −21.8% is not a 35% cut; the lower bound (−31%) is above −35%: roll back.
    expect(tooMuch!.outcome).toBe('rollback');
    // A property nowhere in the export is not measured: it warns, it does not decide.
    expect(missing).toMatchObject({ measured: false, outcome: 'proceed', arms: [] });
  });

  it('judges a relative-change guardrail on the confidence sequence when the always-valid tests decide', async () => {
    // Tokens per unit −21.8%: the 95% one-sided upper bound (−12.8%) is below −10%, but the
    // always-valid 95% sequence reaches above 0 after 780 units: hold.
    const report = await analyse({ guardrails: [parseGuardrailSpec('lift:llm_call.tokens:-10%')], sequential: true });
    const [guardrail] = report.guardrails;
    expect(guardrail!.outcome).toBe('hold');
    near(guardrail!.arms[0]!.value, fixture.comparisons.sumPerUnit.sequentialRelativeLift.high);
    expect(guardrail!.arms[0]!.reading).toMatchObject({ kind: 'bounds', alpha: 0.05, alwaysValid: true });
    expect((guardrail!.arms[0]!.reading as { upper: number }).upper).toBeGreaterThan(0);
  });

  it('leaves out values from before their unit\'s first exposure, as durations are', async () => {
    const time = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
    const lines = [
      JSON.stringify({ event: 'experiment_exposure', userId: 'late', properties: { experiment: 'assistant_model', variant: 'large' }, timestamp: time(60) }),
      JSON.stringify({ event: 'llm_call', userId: 'late', properties: { tokens: 5 }, timestamp: time(0) }),
      JSON.stringify({ event: 'llm_call', userId: 'late', properties: { tokens: 7 }, timestamp: time(120) }),
    ];
    const report = await analyzeStream(Readable.from([Buffer.from(lines.join('\n'))]), OPTIONS);
    // The first call's tokens and the call itself (the ratio's count of calls): two values.
    expect(report.input.unattributedValues).toBe(2);
    expect(report.values[0]!.variants[0]).toMatchObject({ units: 1, unitsWithValues: 1, values: 1, sumPerUnit: { mean: 7 } });
  });

  it('reports a non-numeric value as a bad line, and leaves values of units not exposed yet out', async () => {
    const lines = [
      JSON.stringify({ event: 'llm_call', userId: 'early', properties: { tokens: 5 }, timestamp: new Date(T0).toISOString() }),
      JSON.stringify({ event: 'experiment_exposure', userId: 'early', properties: { experiment: 'assistant_model', variant: 'large' }, timestamp: new Date(T0).toISOString() }),
      JSON.stringify({ event: 'llm_call', userId: 'early', properties: { tokens: 'many' }, timestamp: new Date(T0 + 1000).toISOString() }),
      JSON.stringify({ event: 'llm_call', userId: 'early', properties: { tokens: 7, constructor: 1 }, timestamp: new Date(T0 + 2000).toISOString() }),
    ];
    const report = await analyzeStream(Readable.from([Buffer.from(lines.join('\n'))]), OPTIONS);
    expect(report.input.badLines.examples).toEqual([{ line: 3, reason: 'properties.tokens is "many", must be a number' }]);
    // The early call's tokens and the call itself (the ratio's count of calls): two values.
    expect(report.input.unattributedValues).toBe(2);
    expect(report.values[0]!.variants[0]).toMatchObject({ units: 1, unitsWithValues: 1, values: 1, sumPerUnit: { mean: 7 } });
    // The bad line is skipped whole: its call is not counted either (one call, one hit of 0).
    expect(report.ratios[0]!.variants[0]).toMatchObject({ units: 1, numerator: 0, denominator: 1 });
  });
});
