import { describe, expect, it } from 'vitest';
import { assignVariant } from './assign.js';
import { createBucketry } from './client.js';
import { defineExperiment } from './experiment.js';
import { experimentFromJSON } from './experiment-json.js';
import { fallbackAssignment, serverAssignment } from './outcome.js';
import { configError } from './test-support/config-error.js';

const layouts = { tree: { layout: 'tree', columns: 3 }, list: { layout: 'list', columns: 1 } };
const base = { key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 50 } as const;
const units = Array.from({ length: 2_000 }, (_, i) => `user-${i}`);

describe('variant values', () => {
  it('come with every assignment, and never move a unit', () => {
    const plain = defineExperiment(base);
    const valued = defineExperiment({ ...base, values: layouts });
    for (const unit of units) {
      const { value, ...rest } = assignVariant(valued, unit);
      expect(rest).toEqual(assignVariant(plain, unit));
      expect(value).toEqual(layouts[rest.variant]);
    }
    expect(assignVariant(plain, 'user-1').value).toBeUndefined();
  });

  it('give control’s value when the unit is kept out, and the forced variant’s on an override', () => {
    const valued = defineExperiment({ ...base, values: layouts, enabled: false });
    expect(assignVariant(valued, 'user-1')).toMatchObject({ reason: 'disabled', variant: 'tree', value: layouts.tree });
    const live = defineExperiment({ ...base, values: layouts });
    expect(assignVariant(live, 'qa-1', undefined, { override: 'list' })).toMatchObject({ reason: 'override', value: layouts.list });
    expect(assignVariant(live, undefined)).toMatchObject({ reason: 'missing_unit', value: layouts.tree });
    // An adapter's fallback, given the experiment, carries its variant's value too.
    expect(fallbackAssignment(live, live.control, new Error('proxy did not run'))).toMatchObject({ reason: 'error', variant: 'tree', value: layouts.tree });
    expect(fallbackAssignment(live.key, live.control, new Error('proxy did not run')).value).toBeUndefined();
  });

  it('make a boolean flag of an off/on experiment', () => {
    const flag = defineExperiment({ key: 'new_checkout', variants: ['off', 'on'], rollout: 100, values: { off: false, on: true } });
    expect(assignVariant(flag, 'user-1').value).toBe(true);
    const killed = defineExperiment({ key: 'new_checkout', variants: ['off', 'on'], rollout: 0, values: { off: false, on: true } });
    expect(assignVariant(killed, 'user-1').value).toBe(false);
  });

  it('are a frozen copy: changing the config or the value afterwards changes nothing', () => {
    const given = { tree: { columns: [3] }, list: { columns: [1] } };
    const experiment = defineExperiment({ ...base, rollout: 100, values: given });
    given.list.columns[0] = 99;
    const value = assignVariant(experiment, 'user-1').value as { columns: number[] };
    expect(value).toEqual({ columns: [1] });
    expect(Object.isFrozen(value) && Object.isFrozen(value.columns)).toBe(true);
    expect(() => (value.columns as number[]).push(2)).toThrow(TypeError);
  });

  it('travel in JSON configs, for the client and for a server’s header', () => {
    const json = JSON.stringify({ ...base, rollout: 100, values: layouts });
    const experiment = experimentFromJSON(json);
    expect(experiment.values).toEqual(layouts);
    const bucketry = createBucketry({ experiments: [JSON.parse(json)] });
    expect(bucketry.assign('skill_tree_layout', 'user-1').value).toEqual(layouts.list);
    expect(serverAssignment(experiment, 'list')?.value).toEqual(layouts.list);
    // A live source's new set (update) brings new values without moving anyone.
    const before = bucketry.assign('skill_tree_layout', 'user-1').variant;
    bucketry.update([{ ...base, rollout: 100, values: { tree: 'a', list: 'b' } }]);
    expect(bucketry.assign('skill_tree_layout', 'user-1')).toMatchObject({ variant: before, value: 'b' });
  });

  it('are held as JSON holds them: NaN is null, an undefined field is no field', () => {
    const experiment = defineExperiment({ ...base, rollout: 100, values: { tree: { n: Number.NaN, gone: undefined }, list: 1 } as never });
    expect(experiment.values).toEqual({ tree: { n: null }, list: 1 });
  });

  it.each([
    ['an array', [1, 2], 'must be an object with a value per variant'],
    ['null', null, 'must be an object with a value per variant'],
    ['a variant without a value', { tree: 1 }, '("list" breaks it)'],
    ['a variant whose value is undefined', { tree: 1, list: undefined }, '("list" breaks it)'],
    ['a name that is no variant', { tree: 1, list: 2, grid: 3 }, '("grid" breaks it)'],
    ['more than 65536 characters of JSON', { tree: 'x'.repeat(40_000), list: 'y'.repeat(30_000) }, '("" breaks it)'],
  ])('refuse %s, naming values and the rule', (_, values, rule) => {
    const error = configError(() => defineExperiment({ ...base, values: values as never }));
    expect(error.field).toBe('values');
    expect(error.rule).toContain(rule);
  });

  it('refuse what JSON cannot hold, naming values', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(configError(() => defineExperiment({ ...base, values: { tree: cycle, list: 1 } as never })).field).toBe('values');
    expect(configError(() => defineExperiment({ ...base, values: { tree: 1n, list: 1 } as never })).field).toBe('values');
  });

  it('keep a variant named like an Object.prototype member apart from the prototype', () => {
    const odd = defineExperiment({ key: 'proto_names', variants: ['constructor', 'toString'], rollout: 100, values: { constructor: 1, toString: 2 } });
    expect(assignVariant(odd, 'user-1').value).toBe(2);
    expect(configError(() => defineExperiment({ key: 'proto_names', variants: ['constructor', 'toString'], values: { toString: 2 } as never })).rule).toContain('"constructor" breaks it');
  });
});
