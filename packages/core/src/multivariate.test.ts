import { describe, expect, it } from 'vitest';
import { assignVariant } from './assign.js';
import { checkExperimentSet } from './experiment-set.js';
import { defineHoldout } from './holdout.js';
import type { Attributes } from './eligibility.js';
import { assignFactors, defineMultivariate, type MultivariateConfig } from './multivariate.js';
import { goodnessOfFit, independence, proportion } from './test-support/chi-square.js';
import { expectConfigError } from './test-support/config-error.js';

const ALPHA = 0.001;
const UNITS = Array.from({ length: 100_000 }, (_, i) => `user-${i + 1}`);

/** defineMultivariate for configs that are deliberately wrong, as they would arrive from JSON. */
const defineUnchecked = (config: unknown) => defineMultivariate(config as MultivariateConfig);

describe('assignFactors', () => {
  it('splits each factor by its own hash: layout and density are independent', () => {
    const page = defineMultivariate({
      key: 'skills_page',
      factors: { layout: ['tree', 'list'], density: { variants: ['cozy', 'compact', 'spacious'], weights: [50, 25, 25] } },
    });
    const table = [
      [0, 0, 0],
      [0, 0, 0],
    ];
    for (const unit of UNITS) {
      const { variants } = assignFactors(page, unit);
      table[['tree', 'list'].indexOf(variants.layout)]![['cozy', 'compact', 'spacious'].indexOf(variants.density)]!++;
    }
    expect(independence(table).p).toBeGreaterThan(ALPHA);
    expect(goodnessOfFit([table[0]!.reduce((a, b) => a + b), table[1]!.reduce((a, b) => a + b)], [1, 1]).p).toBeGreaterThan(ALPHA);
    const density = [0, 1, 2].map((j) => table[0]![j]! + table[1]![j]!);
    expect(goodnessOfFit(density, [50, 25, 25]).p).toBeGreaterThan(ALPHA);
  });

  it('keeps two factors with identical variants independent (each factor gets its own salt)', () => {
    const page = defineMultivariate({ key: 'landing', salt: 'landing-2026', factors: { headline: ['a', 'b'], button: ['a', 'b'] } });
    const table = [
      [0, 0],
      [0, 0],
    ];
    for (const unit of UNITS) {
      const { variants } = assignFactors(page, unit);
      table[variants.headline === 'a' ? 0 : 1]![variants.button === 'a' ? 0 : 1]!++;
    }
    expect(independence(table).p).toBeGreaterThan(ALPHA);
  });

  it('takes a unit into all factors or none, sharing traffic', () => {
    const page = defineMultivariate({ key: 'skills_page', traffic: 30, factors: { layout: ['tree', 'list'], density: ['cozy', 'compact'], icons: ['on', 'off'] } });
    let inAll = 0;
    let inSome = 0;
    for (const unit of UNITS) {
      const inFactors = page.experiments.filter((experiment) => assignVariant(experiment, unit).inExperiment).length;
      if (inFactors === page.experiments.length) inAll++;
      else if (inFactors > 0) inSome++;
    }
    expect(inSome).toBe(0);
    expect(proportion(inAll, UNITS.length, 0.3).p).toBeGreaterThan(ALPHA);
    const out = UNITS.map((unit) => assignFactors(page, unit)).find((assignment) => !assignment.inExperiment);
    expect(out).toEqual({ experiment: 'skills_page', variants: { layout: 'tree', density: 'cozy', icons: 'on' }, inExperiment: false, reason: 'traffic' });
  });

  it('shares traffic also with its own salt or trafficSalt', () => {
    for (const salts of [{ salt: 'reshuffled' }, { trafficSalt: 'shared-intake' }]) {
      const page = defineMultivariate({ key: 'skills_page', traffic: 50, ...salts, factors: { layout: ['tree', 'list'], density: ['cozy', 'compact'] } });
      for (const unit of UNITS.slice(0, 5_000)) {
        const [layout, density] = page.experiments.map((experiment) => assignVariant(experiment, unit).inExperiment);
        expect(layout).toBe(density);
      }
    }
  });

  it('shares eligibility and holdout: an ineligible or held-out unit gets control in every factor', () => {
    const page = defineMultivariate({
      key: 'skills_page',
      eligibility: (attributes: Attributes) => attributes.region === 'eu',
      holdout: defineHoldout({ key: 'global', percent: 10 }),
      factors: { layout: ['tree', 'list'], density: ['cozy', 'compact'] },
    });
    expect(assignFactors(page, 'user-1', { region: 'us' })).toEqual({
      experiment: 'skills_page',
      variants: { layout: 'tree', density: 'cozy' },
      inExperiment: false,
      reason: 'ineligible',
    });
    let heldOut = 0;
    for (const unit of UNITS.slice(0, 20_000)) {
      const assignment = assignFactors(page, unit, { region: 'eu' });
      if (assignment.reason !== 'holdout') continue;
      heldOut++;
      expect(assignment).toMatchObject({ variants: { layout: 'tree', density: 'cozy' }, inExperiment: false });
    }
    expect(proportion(heldOut, 20_000, 0.1).p).toBeGreaterThan(ALPHA);
  });

  it('defines one experiment per factor, keyed <key>.<factor>, that form a valid set', () => {
    const page = defineMultivariate({ key: 'skills_page', factors: { layout: ['tree', 'list'], density: ['cozy', 'compact'] } });
    expect(page.experiments.map((experiment) => experiment.key)).toEqual(['skills_page.layout', 'skills_page.density']);
    expect(page.factors.layout.variants).toEqual(['tree', 'list']);
    expect(() => checkExperimentSet(page.experiments)).not.toThrow();
  });

  it("reports inExperiment: true and reason 'bucketed' for a unit in the test, with each factor's own variant", () => {
    const page = defineMultivariate({
      key: 'skills_page',
      factors: { layout: ['tree', 'list'], density: { variants: ['cozy', 'compact'], weights: [1, 1] } },
    });
    for (const unit of ['user-1', 'user-2', 'user-3']) {
      const [layout, density] = page.experiments.map((experiment) => assignVariant(experiment, unit));
      // Every factor really bucketed this unit.
      expect([layout!.reason, density!.reason]).toEqual(['bucketed', 'bucketed']);
      expect(assignFactors(page, unit)).toEqual({
        experiment: 'skills_page',
        variants: { layout: layout!.variant, density: density!.variant },
        inExperiment: true,
        reason: 'bucketed',
      });
    }
  });

  // A factor that gives its treatments no weight has rollout 0: it is switched off, and so is the
  // whole test for every unit (a unit is in all factors or in none). assignFactors reports that
  // factor's reason, whichever factor comes last.
  it("reports inExperiment false and a switched-off factor's reason 'disabled', even before a bucketed factor", () => {
    const page = defineMultivariate({
      key: 'skills_page',
      factors: { density: { variants: ['cozy', 'compact'], weights: [1, 0] }, layout: ['tree', 'list'] },
    });
    for (const unit of ['user-1', 'user-2', 'user-3']) {
      // The set-up really mixes reasons: the first factor is off, the last one buckets the unit.
      expect(page.experiments.map((experiment) => assignVariant(experiment, unit).reason)).toEqual(['disabled', 'bucketed']);
      expect(assignFactors(page, unit)).toMatchObject({ variants: { density: 'cozy' }, inExperiment: false, reason: 'disabled' });
    }
  });
});

describe('defineMultivariate validation', () => {
  const base = { key: 'skills_page' };

  it.each([
    [{ factors: {} }, 'factors', 'an object', 'at least one factor'],
    [{ factors: null }, 'factors', 'null', 'at least one factor'],
    [{}, 'factors', 'undefined', 'at least one factor'],
    [{ factors: { layout: ['tree'] } }, 'factors.layout.variants', '["tree"]', 'at least 2 variant names'],
    [{ factors: { layout: ['tree', 'list', 'tree'] } }, 'factors.layout.variants[2]', '"tree"', 'must be unique'],
    [{ factors: { layout: ['tree', 'list'], density: { variants: ['cozy', 'compact'], weights: [1, -1] } } }, 'factors.density.weights[1]', '-1', 'must be >= 0'],
    [{ factors: { density: { variants: ['cozy', 'compact'], weights: [1] } } }, 'factors.density.weights', '[1]', 'one per variant'],
    [{ factors: { density: { variants: ['cozy', 'compact'], weights: [0, 0] } } }, 'factors.density.weights', '[0,0]', 'must not all be 0'],
  ])('refuses %j, naming %s', (patch, field, got, rule) => {
    expectConfigError(() => defineUnchecked({ ...base, ...patch }), field, got, rule);
  });

  it.each([
    [{ traffic: 150 }, 'traffic', '150', 'from 0 to 100'],
    [{ salt: '' }, 'salt', '""', 'non-empty string'],
    [{ salt: 5 }, 'salt', '5', 'non-empty string'],
    [{ enabled: 'yes' }, 'enabled', '"yes"', 'true or false'],
    [{ holdout: { key: 'global', percent: 5 } }, 'holdout', 'an object', 'defineHoldout()'],
  ])('names a shared field %j as itself, not as a factor field', (patch, field, got, rule) => {
    expectConfigError(() => defineUnchecked({ ...base, ...patch, factors: { layout: ['tree', 'list'] } }), field, got, rule);
  });
});
