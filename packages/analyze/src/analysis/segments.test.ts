import { describe, expect, it } from 'vitest';
import { formatText } from '../format/text.js';
import { closeTo } from '../reference.test-helper.js';
import { analyzeText } from './hand-written-export.test-helper.js';
import { resolveOptions } from './options.js';
import type { SegmentSlice } from './segments.js';
import { welchMismatches, type WelchReference } from '../../../../test-support/welch-reference.js';
import { analyseFixture, segmentCupedReference as reference } from './segment-cuped.test-helper.js';

interface SliceReference {
  value: string | null;
  units: number[];
  conversions: number[];
  z: number;
  pValue: number;
  adjustedPValue: number;
  small: boolean;
  sampleRatioPValue: number;
  amountPerUnit: WelchReference;
  meanLoad: WelchReference & { units: number[] };
}
/** Within 1e-9 of SciPy's number, relative. */
const near = (actual: number, expected: number) => closeTo(actual, expected, 1e-9);

const sliceOf = (slices: readonly SegmentSlice[], value: string | null) => slices.find((s) => (value === null ? s.kind === 'not-set' : s.value === value));

describe('segments', async () => {
  const report = await analyseFixture();

  it.each(reference.segments as { property: string; slices: SliceReference[] }[])(
    "$property: units and conversions per slice and arm, z and p per slice, Holm over every slice of both properties, and Welch's test of the totals and mean durations per unit, as SciPy computes them",
    ({ property, slices }) => {
      const segment = report.segments.find((s) => s.property === property)!;
      expect(segment.slices).toHaveLength(slices.length);
      for (const want of slices) {
        const slice = sliceOf(segment.slices, want.value)!;
        const [orders] = slice.metrics;
        const c = orders!.comparisons[0]!;
        expect({ units: slice.units, conversions: orders!.variants.map((v) => v.conversions), small: slice.small }, String(want.value)).toEqual({ units: want.units, conversions: want.conversions, small: want.small });
        const got = [c.z, c.pValue, c.adjustedPValue, slice.sampleRatioPValue];
        const expected = [want.z, want.pValue, want.adjustedPValue, want.sampleRatioPValue];
        expect(got.every((x, i) => typeof x === 'number' && closeTo(x, expected[i]!, 1e-9)), `${want.value}: ${got} vs ${expected}`).toBe(true);
        const [amount, load] = slice.means;
        expect([amount!.kind, amount!.property, load!.kind, load!.event]).toEqual(['value', 'amount', 'duration', 'page_loaded']);
        expect(load!.units, String(want.value)).toEqual(want.meanLoad.units);
        expect(welchMismatches(amount!.comparisons[0]!, want.amountPerUnit, near), `${want.value}: amount per unit`).toEqual([]);
        expect(welchMismatches(load!.comparisons[0]!, want.meanLoad, near), `${want.value}: mean load per unit`).toEqual([]);
      }
    },
  );

  it('puts a unit whose exposures carried different roles in its first exposure’s slice, and counts it', () => {
    const role = report.segments.find((s) => s.property === 'role')!;
    expect(role.unitsWithChangedValue).toBe(reference.segments[0].unitsWithChangedValue);
    expect(role.warnings).toContainEqual({ code: 'value-changed', units: reference.segments[0].unitsWithChangedValue });
    // Every unit is in exactly one slice of each property.
    for (const segment of report.segments) expect(segment.slices.reduce((n, s) => n + s.units[0]! + s.units[1]!, 0)).toBe(2400);
  });

  it('warns of each slice whose smallest arm has fewer than segmentMinUnits units', () => {
    const role = report.segments.find((s) => s.property === 'role')!;
    expect(role.warnings.filter((w) => w.code === 'small-slice')).toEqual([
      { code: 'small-slice', kind: 'value', value: 'guest', smallestArm: 21, minUnits: 100 },
      { code: 'small-slice', kind: 'not-set', value: null, smallestArm: 40, minUnits: 100 },
    ]);
    expect(role.slices.map((s) => s.value ?? s.kind)).toEqual(['member', 'admin', 'viewer', 'guest', 'not-set']);
  });

  it('words a slice’s mean durations and their signed difference in the text report', () => {
    expect(formatText(report)).toMatch(/ {2}page_loaded \(mean duration per unit\) {2}treatment {2}503\.8 ms → 556\.5 ms {4}\+52\.7 ms {2}\[−87\.2 ms, \+192\.6 ms\] {2}0\.4492\n/);
  });

  it('reads the value from the user’s traits when the exposure’s properties lack it (region)', () => {
    expect(report.segments[1]!.slices.map((s) => s.value)).toEqual(['us', 'eu']);
  });

  it('never changes the report’s own comparisons, their Holm family, or the decision', async () => {
    const plain = await analyseFixture({ segments: [], cupedWindowMs: undefined });
    const sliced = await analyseFixture({ cupedWindowMs: undefined });
    expect(sliced.metrics).toEqual(plain.metrics);
    expect(sliced.checks).toEqual(plain.checks);
    expect(sliced.decision).toBe(plain.decision);
    expect(plain.segments).toEqual([]);
  });

  it('is the same with worker threads', async () => {
    expect((await analyseFixture({ threads: 2 })).segments).toEqual(report.segments);
  });
});

describe('segment values', () => {
  const exposure = (unit: string, variant: string, minute: number, properties: object, extra: object = {}) =>
    JSON.stringify({ event: 'experiment_exposure', userId: unit, timestamp: new Date(Date.UTC(2026, 5, 1, 0, minute)).toISOString(), properties: { experiment: 'x', variant, ...properties }, ...extra });
  const analyse = (lines: string[], segments: string[] = ['role'], configVersion?: string) =>
    analyzeText(lines, { experiment: 'x', variants: ['a', 'b'], segments, segmentMinUnits: 1, ...(configVersion ? { configVersion } : {}) });
  const slices = async (lines: string[], segments?: string[], configVersion?: string) =>
    (await analyse(lines, segments, configVersion)).segments[0]!.slices.map((s) => [s.value ?? s.kind, ...s.units]);

  it('keeps the earliest exposure’s value however the lines are ordered', async () => {
    const early = exposure('u1', 'a', 1, { role: 'viewer' });
    const late = exposure('u1', 'a', 9, { role: 'admin' });
    expect(await slices([early, late])).toEqual([['viewer', 1, 0]]);
    expect(await slices([late, early])).toEqual([['viewer', 1, 0]]);
  });

  it('reads numbers and booleans as their text; null, "", objects and a missing property as not set', async () => {
    const lines = [
      exposure('u1', 'a', 1, { tier: 3 }),
      exposure('u2', 'b', 1, { tier: true }),
      exposure('u3', 'a', 1, { tier: null }),
      exposure('u4', 'a', 1, { tier: '' }),
      exposure('u5', 'b', 1, { tier: { level: 3 } }),
      exposure('u6', 'b', 1, {}),
    ];
    expect(await slices(lines, ['tier'])).toEqual([
      ['3', 1, 0],
      ['true', 0, 1],
      ['not-set', 2, 2],
    ]);
  });

  it('reads Segment’s context.traits and Amplitude’s user_properties, the event’s own property first (a Bucketry event’s own field)', async () => {
    const lines = [
      exposure('u1', 'a', 1, {}, { context: { traits: { plan: 'pro' } } }),
      exposure('u2', 'b', 1, { plan: 'free' }, { context: { traits: { plan: 'pro' } } }),
      JSON.stringify({ event_type: '$exposure', user_id: 'u3', time: Date.UTC(2026, 5, 1), event_properties: { flag_key: 'x', variant: 'b' }, user_properties: { plan: 'pro' } }),
      // A Bucketry sink's own event: the property is a field of the event.
      JSON.stringify({ event: 'experiment_exposure', unit: 'u4', timestamp: '2026-06-01T00:00:00Z', experiment: 'x', variant: 'a', plan: 'free' }),
    ];
    expect(await slices(lines, ['plan'])).toEqual([
      ['pro', 1, 1],
      ['free', 1, 1],
    ]);
  });

  it('reads only a property of the event’s own, never one its object inherits (constructor)', async () => {
    const lines = [exposure('u1', 'a', 1, {}, { context: { traits: { constructor: 'pro' } } }), exposure('u2', 'b', 1, {})];
    expect(await slices(lines, ['constructor'])).toEqual([
      ['pro', 1, 0],
      ['not-set', 0, 1],
    ]);
  });

  it('takes no value from an exposure left out by the config-version filter', async () => {
    const lines = [exposure('u1', 'a', 1, { role: 'viewer', configVersion: 'old' }), exposure('u1', 'a', 5, { role: 'admin', configVersion: 'new' })];
    expect(await slices(lines, ['role'], 'new')).toEqual([['admin', 1, 0]]);
    // Nor does the unit of the exposure counted before it get that value.
    const after = [exposure('u2', 'b', 3, { role: 'member', configVersion: 'new' }), ...lines];
    expect(await slices(after, ['role'], 'new')).toEqual([
      ['member', 0, 1],
      ['admin', 1, 0],
    ]);
  });

  it('flags a slice small by its smallest arm, at the threshold not', async () => {
    const lines = [
      ...Array.from({ length: 7 }, (_, i) => exposure(`v${i}`, i < 5 ? 'a' : 'b', 1, { role: 'viewer' })),
      ...Array.from({ length: 6 }, (_, i) => exposure(`m${i}`, i < 3 ? 'a' : 'b', 1, { role: 'member' })),
    ];
    const report = await analyzeText(lines, { experiment: 'x', variants: ['a', 'b'], segments: ['role'], segmentMinUnits: 3 });
    expect(report.segments[0]!.slices.map((s) => [s.value, s.small])).toEqual([
      ['viewer', true],
      ['member', false],
    ]);
  });

  it('warns of a slice whose units split off the weights, below the sample ratio threshold over the slices checked', async () => {
    const lines = [
      ...Array.from({ length: 40 }, (_, i) => exposure(`v${i}`, i < 32 ? 'a' : 'b', 1, { role: 'viewer' })), // 32/8: p ≈ 1.48e-4 (scipy.stats.chisquare)
      ...Array.from({ length: 40 }, (_, i) => exposure(`m${i}`, i < 27 ? 'a' : 'b', 1, { role: 'member' })), // 27/13: p ≈ 0.027
    ];
    const [segment] = (await analyse(lines)).segments;
    const warnings = segment!.warnings.filter((w) => w.code === 'slice-sample-ratio');
    expect(warnings).toEqual([{ code: 'slice-sample-ratio', kind: 'value', value: 'viewer', pValue: expect.closeTo(1.478023e-4, 9) as number, threshold: 0.0005 }]);
    const [weighted] = (await analyzeText(lines, { experiment: 'x', variants: ['a', 'b'], weights: [4, 1], segments: ['role'], segmentMinUnits: 1 })).segments;
    expect(weighted!.warnings.filter((w) => w.code === 'slice-sample-ratio')).toEqual([]);
  });

  it('pools values beyond the first 50 into one "other" slice, and counts their exposures', async () => {
    const lines = Array.from({ length: 53 }, (_, i) => exposure(`u${i}`, i % 2 ? 'b' : 'a', 1, { tenant: `t${i}` }));
    const [segment] = (await analyse(lines, ['tenant'])).segments;
    expect(segment!.slices.filter((s) => s.kind === 'value')).toHaveLength(50);
    expect(segment!.slices.at(-1)).toMatchObject({ kind: 'other', value: null, units: [2, 1] });
    expect(segment!.warnings).toContainEqual({ code: 'values-pooled', exposures: 3, maxValues: 50 });
  });
});

describe('segment options', () => {
  const base = { experiment: 'x', variants: ['a', 'b'] };
  it('are checked, each error naming the option, the value and the rule', () => {
    expect(() => resolveOptions({ ...base, segments: ['role', ''] })).toThrow('segments[1] is "", must be a non-empty property name');
    expect(() => resolveOptions({ ...base, segments: ['role', 'role'] })).toThrow('segments[1] is "role", must be unique');
    expect(() => resolveOptions({ ...base, segments: Array.from({ length: 9 }, (_, i) => `p${i}`) })).toThrow('must list at most 8 property names');
    expect(() => resolveOptions({ ...base, segmentMinUnits: 2.5 })).toThrow('segmentMinUnits is 2.5, must be a whole number of units >= 1');
    expect(resolveOptions({ ...base, segments: ['role'] })).toMatchObject({ segments: ['role'], segmentMinUnits: 100 });
  });
});
