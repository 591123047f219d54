import { describe, expect, it } from 'vitest';
import { assignVariant } from './assign.js';
import { defineExperiment, type Experiment } from './experiment.js';
import { defineHoldout } from './holdout.js';
import { assignSticky, createMemoryStickyStore } from './sticky.js';
import { independence, proportion } from './test-support/chi-square.js';

/**
 * Each purpose (traffic, rollout, variant, layer, holdout) and each salt seeds its own hash, so
 * what one experiment or step decides says nothing about another. Contingency tables over a fixed
 * set of units check that; the same tables on deliberately dependent splits show the test would
 * notice if seeds were shared.
 */

const ALPHA = 0.001;
const UNITS = Array.from({ length: 100_000 }, (_, i) => `user-${i + 1}`);

/** A rows × columns table counting units by the category each classifier gives them. */
function crossTable(units: readonly string[], rows: number, columns: number, row: (u: string) => number, column: (u: string) => number): number[][] {
  const table = Array.from({ length: rows }, () => new Array<number>(columns).fill(0));
  for (const unit of units) table[row(unit)]![column(unit)]!++;
  return table;
}

const variantIndex = (experiment: Experiment) => (unit: string) => experiment.variants.indexOf(assignVariant(experiment, unit).variant);

describe('experiments with different salts', () => {
  it('split the same units independently (2×2)', () => {
    const heroCopy = defineExperiment({ key: 'hero_copy', variants: ['a', 'b'] });
    const heroImage = defineExperiment({ key: 'hero_image', variants: ['a', 'b'] });
    const table = crossTable(UNITS, 2, 2, variantIndex(heroCopy), variantIndex(heroImage));
    expect(independence(table).p).toBeGreaterThan(ALPHA);
  });

  it('split the same units independently (3×3, same key, salt changed to reshuffle)', () => {
    const before = defineExperiment({ key: 'checkout_flow', variants: ['a', 'b', 'c'] });
    const reshuffled = defineExperiment({ key: 'checkout_flow', variants: ['a', 'b', 'c'], salt: 'checkout_flow-reshuffle-1' });
    const table = crossTable(UNITS, 3, 3, variantIndex(before), variantIndex(reshuffled));
    expect(independence(table).p).toBeGreaterThan(ALPHA);
  });

  it('with the same salt are perfectly dependent, and the test detects it', () => {
    const heroCopy = defineExperiment({ key: 'hero_copy', variants: ['a', 'b', 'c'], salt: 'home' });
    const heroImage = defineExperiment({ key: 'hero_image', variants: ['x', 'y', 'z'], salt: 'home' });
    const table = crossTable(UNITS, 3, 3, variantIndex(heroCopy), variantIndex(heroImage));
    table.forEach((row, i) => row.forEach((count, j) => i !== j && expect(count).toBe(0)));
    expect(independence(table).p).toBeLessThan(1e-100);
  });
});

describe('within one experiment', () => {
  it('traffic inclusion is independent of the variant', () => {
    const halfTraffic = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 50, traffic: 50 });
    // The same experiment at full traffic gives every unit the variant it has (or would have) when in.
    const fullTraffic = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 50 });
    const inTraffic = (unit: string) => (assignVariant(halfTraffic, unit).inExperiment ? 1 : 0);
    const table = crossTable(UNITS, 2, 2, inTraffic, variantIndex(fullTraffic));
    expect(independence(table).p).toBeGreaterThan(ALPHA);
    expect(proportion(table[1]![0]! + table[1]![1]!, UNITS.length, 0.5).p).toBeGreaterThan(ALPHA);

    // Power: had traffic used the rollout hash, being in would decide the variant.
    const inByRolloutHash = (unit: string) => (assignVariant(fullTraffic, unit).bucket < 500_000 ? 1 : 0);
    expect(independence(crossTable(UNITS, 2, 2, inByRolloutHash, variantIndex(fullTraffic))).p).toBeLessThan(1e-100);
  });

  it('which treatment a treated unit gets is independent of how low its rollout bucket is', () => {
    const experiment = defineExperiment({ key: 'checkout_flow', variants: ['a', 'b', 'c'], rollout: 50 });
    const treated = UNITS.filter((unit) => assignVariant(experiment, unit).variant !== 'a');
    expect(proportion(treated.length, UNITS.length, 0.5).p).toBeGreaterThan(ALPHA);
    // Units in the first half of the rollout (the ones treated at 25%) against their treatment.
    const lowBucket = (unit: string) => (assignVariant(experiment, unit).bucket < 250_000 ? 1 : 0);
    const treatment = (unit: string) => (assignVariant(experiment, unit).variant === 'b' ? 0 : 1);
    expect(independence(crossTable(treated, 2, 2, lowBucket, treatment)).p).toBeGreaterThan(ALPHA);
  });
});

describe('a holdout shared by two experiments', () => {
  const holdout = defineHoldout({ key: 'global_2026', percent: 5 });
  const heroCopy = defineExperiment({ key: 'hero_copy', variants: ['a', 'b'], holdout });
  const checkout = defineExperiment({ key: 'checkout_flow', variants: ['old', 'new', 'newer'], holdout });
  const heldOutOf = (experiment: Experiment) => (unit: string) => (assignVariant(experiment, unit).reason === 'holdout' ? 1 : 0);

  it('holds out the same units in both, about 5%, with control and not in the experiment', () => {
    let heldOut = 0;
    for (const unit of UNITS) {
      const copy = assignVariant(heroCopy, unit);
      const flow = assignVariant(checkout, unit);
      expect(flow.reason === 'holdout').toBe(copy.reason === 'holdout');
      if (copy.reason !== 'holdout') continue;
      heldOut++;
      expect(copy).toMatchObject({ variant: 'a', inExperiment: false });
      expect(flow).toMatchObject({ variant: 'old', inExperiment: false });
      expect(copy.bucket).toBeLessThan(50_000);
    }
    expect(proportion(heldOut, UNITS.length, 0.05).p).toBeGreaterThan(ALPHA);
  });

  it("is independent of each experiment's own split", () => {
    const copyWithout = defineExperiment({ key: 'hero_copy', variants: ['a', 'b'] });
    const checkoutWithout = defineExperiment({ key: 'checkout_flow', variants: ['old', 'new', 'newer'] });
    expect(independence(crossTable(UNITS, 2, 2, heldOutOf(heroCopy), variantIndex(copyWithout))).p).toBeGreaterThan(ALPHA);
    expect(independence(crossTable(UNITS, 2, 3, heldOutOf(checkout), variantIndex(checkoutWithout))).p).toBeGreaterThan(ALPHA);
    // Units not held out keep the variant they would have without the holdout.
    for (const unit of UNITS.slice(0, 10_000)) {
      const assignment = assignVariant(heroCopy, unit);
      if (assignment.reason !== 'holdout') expect(assignment.variant).toBe(assignVariant(copyWithout, unit).variant);
    }
  });

  it('differs from a holdout with another key', () => {
    const otherHoldout = defineExperiment({ key: 'hero_copy', variants: ['a', 'b'], holdout: defineHoldout({ key: 'pricing_2026', percent: 5 }) });
    expect(independence(crossTable(UNITS, 2, 2, heldOutOf(heroCopy), heldOutOf(otherHoldout))).p).toBeGreaterThan(ALPHA);
  });

  it('keeps a held-out unit out even when the sticky store has a record for it', () => {
    const heldOutUnit = UNITS.find((unit) => heldOutOf(heroCopy)(unit) === 1)!;
    const sticky = createMemoryStickyStore([{ unit: heldOutUnit, experiment: 'hero_copy', variant: 'b' }]);
    expect(assignSticky(heroCopy, heldOutUnit, undefined, sticky)).toMatchObject({ variant: 'a', reason: 'holdout' });
  });
});
