import { describe, expect, it } from 'vitest';
import { createBucketry } from './client.js';
import { defineExperiment } from './experiment.js';
import { configError } from './test-support/config-error.js';

// The errors of the experiments given to createBucketry: an ExperimentConfigError naming what is
// wrong (never a TypeError from reading a field of undefined), the experiment at fault named by
// its index (experiments[i].field), also when a getter or Proxy trap throws as the set is read
// (issue #21: a Proxy whose `has` trap threw escaped as the trap's own error).
const boom = new Error('has trap');
const thrower = (): never => {
  throw boom;
};

describe('the errors of a set of experiments', () => {
  it.each([undefined, null, 'skill_tree_layout'])('createBucketry(%j) names experiments', (options) => {
    const error = configError(() => createBucketry(options as never));
    expect(error.field).toBe('experiments');
    expect(error.message).toContain('experiments must be an array of experiments or experiment configs');
  });

  it('prefixes a config error with the index of its experiment', () => {
    const ok = { key: 'a', variants: ['x', 'y'] };
    expect(configError(() => createBucketry({ experiments: [ok, { key: 'b', variants: ['x', 'y'], rollout: 150 }] })).field).toBe('experiments[1].rollout');
  });

  it('joins a field that is not an identifier with its brackets: experiments[1]["a-b"]', () => {
    const ok = { key: 'a', variants: ['x', 'y'] };
    const error = configError(() => createBucketry({ experiments: [ok, { key: 'b', variants: ['x', 'y'], 'a-b': 1 } as never] }));
    expect(error.field).toBe('experiments[1]["a-b"]');
    expect(error.message).toBe('experiments[1]["a-b"] is not a known field, got 1');
  });

  it.each([
    ['an item whose `has` trap throws (the `in` check)', () => [{ key: 'a', variants: ['x', 'y'] }, new Proxy({}, { has: thrower })], 'experiments[1]'],
    ['an array whose `has` trap throws', () => new Proxy([{ key: 'a', variants: ['x', 'y'] }], { has: thrower }), 'experiments'],
    ['an array whose `get` trap throws', () => new Proxy([{ key: 'a', variants: ['x', 'y'] }], { get: thrower }), 'experiments'],
  ])('names the field when %s, with what the trap threw as the value', (_name, experiments, field) => {
    const error = configError(() => createBucketry({ experiments: experiments() as never }));
    expect(error.field).toBe(field);
    expect(error.value).toBe(boom);
    expect(error.message).toBe(`${field} could not be read: a getter or Proxy trap threw Error: has trap, got an object`);
  });

  it('refuses such a set in update() too, keeping the set in force', () => {
    const bucketry = createBucketry({ experiments: [{ key: 'a', variants: ['x', 'y'] }] });
    const error = configError(() => bucketry.update([{ key: 'a', variants: ['x', 'y'] }, new Proxy({}, { has: thrower }) as never]));
    expect(error.field).toBe('experiments[1]');
    expect(bucketry.experiments.map((e) => e.key)).toEqual(['a']);
  });
});

describe('createBucketry options that cannot be read', () => {
  it('is an ExperimentConfigError naming options when a getter or Proxy trap of the options throws', () => {
    const trap = new Proxy({}, { get: () => { throw new Error('boom'); } });
    const error = configError(() => createBucketry(trap as never));
    expect(error.field).toBe('options');
    expect(error.rule).toContain('Error: boom');
    const getter = { get experiments(): never { throw new Error('getter'); } };
    expect(configError(() => createBucketry(getter)).rule).toContain('Error: getter');
  });
});

describe('a copy of a defined experiment', () => {
  it('is refused, naming the item: its old plan would ignore the changed fields', () => {
    const skillTree = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 100 });
    const bucketry = createBucketry({ experiments: [skillTree] });
    const error = configError(() => bucketry.update(bucketry.experiments.map((e) => ({ ...e, enabled: false }))));
    expect(error.field).toBe('experiments[0]');
    expect(error.rule).toContain('not a copy of an experiment');
    // The set in force is untouched, and the supported way works.
    expect(bucketry.assign('skill_tree_layout', 'user-1').variant).toBe('list');
    bucketry.update([defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 100, enabled: false })]);
    expect(bucketry.assign('skill_tree_layout', 'user-1')).toMatchObject({ variant: 'tree', reason: 'disabled' });
  });
});
