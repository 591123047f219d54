import { describe, expect, it } from 'vitest';
import { assignVariant } from './assign.js';
import { defineExperiment, type Experiment } from './experiment.js';
import { checkExperimentSet } from './experiment-set.js';
import { defineHoldout } from './holdout.js';
import { layerSlice } from './layer.js';
import { independence, proportion } from './test-support/chi-square.js';
import { configError } from './test-support/config-error.js';

const ALPHA = 0.001;
const UNITS = Array.from({ length: 100_000 }, (_, i) => `user-${i + 1}`);

const inLayer = (key: string, range: [number, number], name = 'home') =>
  defineExperiment({ key, variants: ['control', 'treatment'], layer: layerSlice({ name, range }) });

/** The units an experiment takes in. */
const membersOf = (experiment: Experiment): Set<string> => new Set(UNITS.filter((u) => assignVariant(experiment, u).inExperiment));

describe('layers', () => {
  it('never puts a unit in two experiments of one layer, and gives each about its slice', () => {
    const a = inLayer('hero_copy', [0, 30]);
    const b = inLayer('hero_image', [30, 60]);
    const inA = membersOf(a);
    const inB = membersOf(b);
    expect([...inA].filter((u) => inB.has(u))).toEqual([]);
    expect(proportion(inA.size, UNITS.length, 0.3).p).toBeGreaterThan(ALPHA);
    expect(proportion(inB.size, UNITS.length, 0.3).p).toBeGreaterThan(ALPHA);
  });

  it('keeps a unit out with reason "layer" and the layer bucket, which both experiments read alike', () => {
    const a = inLayer('hero_copy', [0, 30]);
    const b = inLayer('hero_image', [30, 60]);
    let outsideBoth = 0;
    for (const unit of UNITS.slice(0, 20_000)) {
      const fromA = assignVariant(a, unit);
      if (fromA.inExperiment) continue;
      expect(fromA).toMatchObject({ reason: 'layer', variant: 'control' });
      expect(fromA.bucket).toBeGreaterThanOrEqual(300_000);
      // The layer bucket A saw places the unit in B's slice or beyond it.
      const inBSlice = fromA.bucket < 600_000;
      expect(assignVariant(b, unit).inExperiment).toBe(inBSlice);
      if (!inBSlice) {
        outsideBoth++;
        expect(assignVariant(b, unit)).toMatchObject({ reason: 'layer', bucket: fromA.bucket });
      }
    }
    expect(outsideBoth).toBeGreaterThan(0);
  });

  it('moves nobody already in A or B when C takes the rest of the layer', () => {
    const before = [inLayer('hero_copy', [0, 30]), inLayer('hero_image', [30, 60])];
    const assignmentsBefore = before.map((experiment) => UNITS.map((u) => assignVariant(experiment, u)));

    const c = inLayer('hero_layout', [60, 100]);
    const after = [inLayer('hero_copy', [0, 30]), inLayer('hero_image', [30, 60])];
    expect(() => checkExperimentSet([...after, c])).not.toThrow();
    after.forEach((experiment, i) => {
      const changed = UNITS.filter((u, j) => {
        const was = assignmentsBefore[i]![j]!;
        const now = assignVariant(experiment, u);
        return was.variant !== now.variant || was.inExperiment !== now.inExperiment;
      });
      expect(changed).toEqual([]);
    });

    // With the whole layer owned, every unit is in exactly one of A, B and C.
    const counts = UNITS.map((u) => [...after, c].filter((experiment) => assignVariant(experiment, u).inExperiment).length);
    expect(counts.every((n) => n === 1)).toBe(true);
  });

  it('combines with traffic: 50% traffic in a 30% slice takes in about 15%', () => {
    const experiment = defineExperiment({ key: 'hero_copy', variants: ['a', 'b'], traffic: 50, layer: layerSlice({ name: 'home', range: [0, 30] }) });
    expect(proportion(membersOf(experiment).size, UNITS.length, 0.15).p).toBeGreaterThan(ALPHA);
  });

  it('splits units independently in different layers', () => {
    const home = inLayer('hero_copy', [0, 50], 'home');
    const checkout = inLayer('checkout_flow', [0, 50], 'checkout');
    const inHome = membersOf(home);
    const inCheckout = membersOf(checkout);
    const table = [
      [0, 0],
      [0, 0],
    ];
    for (const unit of UNITS) table[inHome.has(unit) ? 1 : 0]![inCheckout.has(unit) ? 1 : 0]!++;
    expect(independence(table).p).toBeGreaterThan(ALPHA);
  });
});

describe('checkExperimentSet', () => {
  it('accepts adjacent slices, slices of different layers and agreeing holdouts', () => {
    expect(() =>
      checkExperimentSet([
        inLayer('hero_copy', [0, 30]),
        inLayer('hero_image', [30, 60]),
        inLayer('checkout_flow', [0, 100], 'checkout'),
        defineExperiment({ key: 'pricing', variants: ['a', 'b'], holdout: defineHoldout({ key: 'global', percent: 5 }) }),
        defineExperiment({ key: 'onboarding', variants: ['a', 'b'], holdout: defineHoldout({ key: 'global', percent: 5 }) }),
        defineExperiment({ key: 'search', variants: ['a', 'b'], holdout: defineHoldout({ key: 'search_only', percent: 20 }) }),
      ]),
    ).not.toThrow();
    expect(() => checkExperimentSet([])).not.toThrow();
  });

  it.each([
    [[0, 50], [40, 60]],
    [[40, 60], [0, 50]],
    [[0, 100], [30, 31]],
    [[30, 31], [30, 31]],
    [[0, 30.0001], [30, 60]],
  ] as [number, number][][])('rejects overlapping slices %j and %j, naming both experiments', (first, second) => {
    const error = configError(() => checkExperimentSet([inLayer('hero_copy', first!), inLayer('hero_image', second!)]));
    expect(error.field).toBe('layer.range');
    expect(error.message).toContain('hero_copy');
    expect(error.message).toContain('hero_image');
    expect(error.message).toContain('"home"');
  });

  it('rejects duplicate keys', () => {
    const error = configError(() =>
      checkExperimentSet([defineExperiment({ key: 'hero_copy', variants: ['a', 'b'] }), defineExperiment({ key: 'hero_copy', variants: ['x', 'y'] })]),
    );
    expect(error.field).toBe('key');
    expect(error.message).toBe('experiments[1]: key must be unique; experiments[0] has it too, got "hero_copy"');
  });

  it('leaves header names to the HTTP layer: keys that give one header, or a key that reads like a header name, are distinct keys here', () => {
    expect(() =>
      checkExperimentSet(['skill_tree', 'skill-tree', 'x-experiment-skill-tree'].map((key) => defineExperiment({ key, variants: ['a', 'b'] }))),
    ).not.toThrow();
  });

  it('compares layer slices on the bucket grid: [0, 50.00000000001) and [50, 100) do not overlap', () => {
    const slice = (name: string, range: [number, number]) => defineExperiment({ key: name, variants: ['a', 'b'], layer: layerSlice({ name: 'home', range }) });
    expect(() => checkExperimentSet([slice('left', [0, 50.00000000001]), slice('right', [50, 100])])).not.toThrow();
    expect(() => checkExperimentSet([slice('left', [0, 50.0001]), slice('right', [50, 100])])).toThrow(/must not overlap "left"/);
  });

  it('rejects one holdout given two sizes, naming both experiments', () => {
    const error = configError(() =>
      checkExperimentSet([
        defineExperiment({ key: 'pricing', variants: ['a', 'b'], holdout: defineHoldout({ key: 'global', percent: 5 }) }),
        defineExperiment({ key: 'onboarding', variants: ['a', 'b'], holdout: defineHoldout({ key: 'global', percent: 10 }) }),
      ]),
    );
    expect(error.field).toBe('holdout.percent');
    expect(error.value).toBe(10);
    expect(error.message).toContain('pricing');
    expect(error.message).toContain('onboarding');
    expect(error.message).toContain('"global"');
    expect(error.message).toContain('5');
  });
});
