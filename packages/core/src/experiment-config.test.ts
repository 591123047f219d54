import { describe, expect, it } from 'vitest';
import { assignVariant } from './assign.js';
import { defineExperiment, type ExperimentConfig } from './experiment.js';
import { experimentFromJSON } from './experiment-json.js';
import { configError, expectConfigError } from './test-support/config-error.js';

// A configuration's fields as docs/spec.md §5.1 words them: null is never "absent", maps are
// maps, sums are finite, and percentages compare as bucket counts.

const base = { key: 'k', variants: ['a', 'b'] };
const define = (config: unknown) => defineExperiment(config as ExperimentConfig);
const fromJSON = (config: unknown) => experimentFromJSON(config as never);
const NAME_RULE = 'must match /^[a-z0-9][a-z0-9_.-]{0,63}$/';

describe('null is refused, never read as absent (§0)', () => {
  it.each([
    ['key', NAME_RULE],
    ['variants', 'must be an array of at least 2 variant names'],
    ['weights', 'must be an array of 2 numbers, one per variant'],
    ['rollout', 'must be a number from 0 to 100'],
    ['traffic', 'must be a number from 0 to 100'],
    ['salt', 'must be a non-empty string'],
    ['trafficSalt', 'must be a non-empty string'],
    ['enabled', 'must be true or false'],
    ['overrides', 'must be an object of unit to variant'],
    ['version', 'must be a non-empty string'],
  ])('%s: null names the field in defineExperiment and experimentFromJSON', (field, rule) => {
    expectConfigError(() => define({ ...base, [field]: null }), field, 'null', rule);
    expectConfigError(() => fromJSON({ ...base, [field]: null }), field, 'null', rule);
    expectConfigError(() => fromJSON(JSON.stringify({ ...base, [field]: null })), field, 'null', rule);
  });

  it.each([
    ['eligibility', 'must be a function (see eligibilityRule)', 'must be { all: [...] }'],
    ['holdout', 'must come from defineHoldout() or experimentFromJSON()', 'must be { key, percent }'],
    ['layer', 'must come from layerSlice() or experimentFromJSON()', 'must be { name, range: [from, to] }'],
  ])('%s: null is refused in code and in JSON, each with its own rule', (field, codeRule, jsonRule) => {
    expectConfigError(() => define({ ...base, [field]: null }), field, 'null', codeRule);
    expectConfigError(() => fromJSON({ ...base, [field]: null }), field, 'null', jsonRule);
  });

  it.each([
    [{ variants: ['a', null] }, 'variants[1]', 'must be a non-empty string'],
    [{ weights: [1, null] }, 'weights[1]', 'must be >= 0'],
    [{ overrides: { 'qa-1': null } }, 'overrides["qa-1"]', 'must be one of the variants (a, b)'],
    [{ holdout: { key: null, percent: 5 } }, 'holdout.key', NAME_RULE],
    [{ holdout: { key: 'h', percent: null } }, 'holdout.percent', 'must be a number from 0 to 100'],
    [{ layer: { name: null, range: [0, 50] } }, 'layer.name', NAME_RULE],
    [{ layer: { name: 'home', range: null } }, 'layer.range', 'must be [from, to] in percent'],
    [{ layer: { name: 'home', range: [null, 50] } }, 'layer.range[0]', 'must be a number from 0 to 100'],
    [{ layer: { name: 'home', range: [0, null] } }, 'layer.range[1]', 'must be a number from 0 to 100'],
  ])('refuses a null inside %j, naming %s', (patch, field, rule) => {
    expectConfigError(() => fromJSON({ ...base, ...patch }), field, 'null', rule);
  });

  it('still takes an absent field (undefined in code) as its default', () => {
    const experiment = define({ ...base, weights: undefined, traffic: undefined, enabled: undefined, salt: undefined });
    expect(experiment).toMatchObject({ weights: [1, 1], traffic: 100, enabled: true, salt: 'k', live: true, rollout: 50 });
  });
});

describe('maps must be maps', () => {
  it.each([
    ['an array', ['b'], '["b"]'],
    ['an empty array', [], '[]'],
    ['a Map', new Map([['qa-1', 'b']]), 'an object'],
  ])('refuses overrides given as %s instead of a map of unit to variant', (_label, overrides, got) => {
    expectConfigError(() => define({ ...base, overrides }), 'overrides', got, 'must be an object of unit to variant');
    if (!(overrides instanceof Map)) expectConfigError(() => fromJSON({ ...base, overrides }), 'overrides', got, 'must be an object of unit to variant');
  });

  it.each([
    ['holdout', 5, '5', '{ key, percent }'],
    ['holdout', 'global', '"global"', '{ key, percent }'],
    ['holdout', ['global', 5], '["global",5]', '{ key, percent }'],
    ['holdout', true, 'true', '{ key, percent }'],
    ['layer', 'home', '"home"', '{ name, range: [from, to] }'],
    ['layer', ['home', [0, 50]], '["home",an array of 2]', '{ name, range: [from, to] }'],
  ])('names %s when a JSON config gives it as %j', (field, value, got, shape) => {
    expectConfigError(() => fromJSON({ ...base, [field]: value }), field, got, `must be ${shape}`);
  });

  it('refuses a configuration that is an array, naming config', () => {
    expectConfigError(() => fromJSON([base]), 'config', '[an object]', 'must be an object');
    expectConfigError(() => define([base]), 'config', '[an object]', 'must be an object');
    expectConfigError(() => fromJSON('[{"key":"k","variants":["a","b"]}]'), 'config', '[an object]', 'must be an object');
  });
});

describe('unknown fields in a JSON config (§5.1)', () => {
  it.each([
    [{ rolout: 10 }, 'rolout', '10'],
    [{ Rollout: 10 }, 'Rollout', '10'],
    [{ 'a.b': 1 }, '["a.b"]', '1'],
    [{ '': 'x' }, '[""]', '"x"'],
    [{ holdout: { key: 'h', percent: 5, pct: 5 } }, 'holdout.pct', '5'],
    [{ layer: { name: 'home', range: [0, 50], rnage: [0, 50] } }, 'layer.rnage', '[0,50]'],
  ])('refuses %j, naming %s', (patch, field, got) => {
    expectConfigError(() => fromJSON({ ...base, ...patch }), field, got, 'is not a known field');
  });

  it('refuses a "__proto__" key in JSON text rather than letting it set anything', () => {
    expectConfigError(() => fromJSON('{"key":"k","variants":["a","b"],"__proto__":{"rollout":0}}'), '__proto__', 'an object', 'is not a known field');
  });

  it('accepts every field of the table', () => {
    const config = {
      ...base,
      weights: [1, 1],
      rollout: 50,
      traffic: 90,
      salt: 's',
      trafficSalt: 't',
      enabled: true,
      overrides: { 'qa-1': 'b' },
      eligibility: { plan: { eq: 'pro' } },
      holdout: { key: 'h', percent: 5 },
      layer: { name: 'home', range: [0, 50] },
      version: 'v1',
    };
    expect(fromJSON(config)).toMatchObject({ key: 'k', rollout: 50, traffic: 90, salt: 's', version: 'v1' });
  });
});

describe('weights', () => {
  it.each([
    [['a', 'b'], [1e308, 1e308], '[1e+308,1e+308]'],
    [['a', 'b', 'c'], [1, 1e308, 1e308], '[1,1e+308,1e+308]'],
  ])('refuses %j weighted %j: each is finite, their sum is not', (variants, weights, got) => {
    expectConfigError(() => define({ ...base, variants, weights }), 'weights', got, 'must add up to a finite number');
  });

  it('accepts a sum just below the largest double, with finite thresholds', () => {
    const experiment = define({ ...base, variants: ['a', 'b', 'c'], weights: [8e307, 4e307, 4e307] });
    expect(experiment.rollout).toBe(50);
    expect(experiment.plan.treatmentBounds).toEqual([500_000, 1_000_000]);
  });

  it('shows the weights in force on the experiment: the given ones, else all 1', () => {
    expect(define(base).weights).toEqual([1, 1]);
    expect(define({ ...base, variants: ['a', 'b', 'c'] }).weights).toEqual([1, 1, 1]);
    const weights = [90, 10];
    const experiment = define({ ...base, weights });
    weights[0] = 0;
    expect(experiment.weights).toEqual([90, 10]);
    expect(Object.isFrozen(experiment.weights)).toBe(true);
  });
});

describe('percentages compare as bucket counts (§4.2)', () => {
  it('takes a rollout that rounds to 0 buckets as 0: not live, and no treatment weight needed', () => {
    for (const rollout of [1e-11, 1e-10]) {
      const experiment = define({ ...base, rollout });
      expect(experiment).toMatchObject({ rollout: 0, live: false });
      expect(assignVariant(experiment, 'user-1')).toMatchObject({ reason: 'disabled', variant: 'a' });
      expect(define({ ...base, weights: [1, 0], rollout }).live).toBe(false);
    }
  });

  it('accepts exactly 10^-6 of a bucket off the grid and refuses more', () => {
    expect(define({ ...base, rollout: 1e-10 }).rollout).toBe(0);
    expectConfigError(() => define({ ...base, rollout: 1.1e-10 }), 'rollout', '1.1e-10', 'must have at most 4 decimals');
  });

  it('refuses a layer range whose bounds round to the same bucket', () => {
    const range = [50, 50.00000000001];
    expectConfigError(() => fromJSON({ ...base, layer: { name: 'home', range } }), 'layer.range', '[50,50.00000000001]', 'must have from < to');
    expect(fromJSON({ ...base, layer: { name: 'home', range: [50, 50.0001] } }).layer).toMatchObject({ from: 500_000, to: 500_001 });
  });
});

describe('experimentFromJSON given text', () => {
  it('that is not JSON: names config and says why the text did not parse', () => {
    const error = configError(() => experimentFromJSON('{ "key": "skill_tree_layout", '));
    expect(error.field).toBe('config');
    expect(error.message).toMatch(/^config must be valid JSON \(.+\)/);
  });

  it('that is JSON: parses it', () => {
    expect(experimentFromJSON('{ "key": "skill_tree_layout", "variants": ["tree", "list"] }').key).toBe('skill_tree_layout');
  });
});
