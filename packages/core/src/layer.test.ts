import { describe, expect, it } from 'vitest';
import { assignVariant } from './assign.js';
import { defineExperiment } from './experiment.js';
import { checkExperimentSet } from './experiment-set.js';
import { layerSlice } from './layer.js';
import { configError, expectConfigError } from './test-support/config-error.js';

// A layer slice (docs/spec.md §5.1, §5.2): validated in buckets, and a slice may be defined below
// one that already exists.

const inLayer = (key: string, range: [number, number]) =>
  defineExperiment({ key, variants: ['a', 'b'], rollout: 100, layer: layerSlice({ name: 'home', range }) });
const UNITS = Array.from({ length: 20_000 }, (_, i) => `user-${i}`);

describe('layerSlice', () => {
  it('keeps the range and gives the slice in buckets, [from, to)', () => {
    expect(layerSlice({ name: 'home', range: [12.5, 37.5] })).toMatchObject({ name: 'home', range: [12.5, 37.5], from: 125_000, to: 375_000 });
    expect(layerSlice({ name: 'home', range: [0, 0.0001] })).toMatchObject({ from: 0, to: 1 });
    expect(layerSlice({ name: 'home', range: [99.9999, 100] })).toMatchObject({ from: 999_999, to: 1_000_000 });
  });

  it.each([
    [[60, 30], '[60,30]'],
    [[30, 30], '[30,30]'],
    [[50, 50.00000000001], '[50,50.00000000001]'],
    [[50.00000000001, 50], '[50.00000000001,50]'],
  ])('refuses the range %j: its slice of buckets would be empty', (range, got) => {
    expectConfigError(() => layerSlice({ name: 'home', range: range as [number, number] }), 'layer.range', got, 'must have from < to on the 0.0001% grid');
  });

  it('refuses a field that is not name or range', () => {
    expectConfigError(() => layerSlice({ name: 'home', range: [0, 50], from: 0 } as never), 'layer.from', '0', 'is not a known field');
  });

  it('refuses a layer that is not a map', () => {
    expectConfigError(() => layerSlice(['home', [0, 50]] as never), 'layer', '["home",an array of 2]', 'must be { name, range: [from, to] }');
  });
});

describe('a slice defined below one that already exists', () => {
  const upper = () => inLayer('hero_image', [50, 100]);

  it('is accepted in a set, listed after the slice above it or before', () => {
    for (const lower of [[0, 50], [10, 20], [0, 0.0001]] as [number, number][]) {
      expect(() => checkExperimentSet([upper(), inLayer('hero_copy', lower)])).not.toThrow();
      expect(() => checkExperimentSet([inLayer('hero_copy', lower), upper()])).not.toThrow();
    }
  });

  it('is refused when it reaches into the slice above, naming both experiments', () => {
    for (const lower of [[0, 50.0001], [40, 60], [0, 100]] as [number, number][]) {
      const error = configError(() => checkExperimentSet([upper(), inLayer('hero_copy', lower)]));
      expect(error.field).toBe('layer.range');
      expect(error.value).toEqual(lower);
      expect(error.message).toContain('hero_copy: layer.range must not overlap "hero_image" [50, 100) in layer "home"');
    }
  });

  it('takes in only units below the slice above, and moves none of that slice\'s units', () => {
    const before = upper();
    const inUpper = UNITS.map((unit) => assignVariant(before, unit));
    const lower = inLayer('hero_copy', [20, 50]);
    const after = upper();
    expect(UNITS.map((unit) => assignVariant(after, unit))).toEqual(inUpper);
    let inLower = 0;
    UNITS.forEach((unit, i) => {
      const assignment = assignVariant(lower, unit);
      if (!assignment.inExperiment) {
        expect(assignment.reason).toBe('layer');
        return;
      }
      inLower++;
      expect(inUpper[i]!.inExperiment, unit).toBe(false);
      expect(inUpper[i]!.bucket).toBeGreaterThanOrEqual(200_000);
      expect(inUpper[i]!.bucket).toBeLessThan(500_000);
    });
    expect(inLower).toBeGreaterThan(UNITS.length * 0.25);
    expect(inLower).toBeLessThan(UNITS.length * 0.35);
  });
});
