import { ExperimentConfigError, createBucketry, type ExperimentJSON } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { mergeRollouts } from './merge.js';
import { parseSnapshot, type RolloutRecord } from './record.js';

const record = (rollout: number, more: Partial<RolloutRecord> = {}): RolloutRecord => ({
  rollout, enabled: true, version: 2, updatedAt: '2026-11-02T09:30:00.000Z', actor: 'ana', phase: 'smoke', reason: null, ...more,
});
const skillTree: ExperimentJSON = { key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 0 };
const pilot: ExperimentJSON = { key: 'pilot', variants: ['off', 'on'], rollout: 5, version: 'v3' };

describe('mergeRollouts', () => {
  it('applies rollout and enabled from each record and leaves experiments without one as they are', () => {
    const base = [skillTree, pilot];
    const { experiments, unknown } = mergeRollouts(base, { rollouts: { skill_tree_layout: record(10, { enabled: false }) } });
    expect(experiments).toEqual([{ ...skillTree, rollout: 10, enabled: false }, pilot]);
    expect(unknown).toEqual([]);
    expect(base).toEqual([skillTree, pilot]); // pure: inputs untouched
  });

  it('reports a record for an unknown experiment and does not apply it', () => {
    const { experiments, unknown } = mergeRollouts([skillTree], { rollouts: { gone: record(50), also_gone: record(1) } });
    expect(experiments).toEqual([skillTree]);
    expect(unknown).toEqual(['also_gone', 'gone']);
  });

  it('appends the record version to an explicit config version, so a rollout change is a new version', () => {
    const { experiments } = mergeRollouts([pilot], { rollouts: { pilot: record(20, { version: 7 }) } });
    expect(experiments[0]).toMatchObject({ rollout: 20, version: 'v3+r7' });
    // Without an explicit version the derived one (a hash of the config) changes with the rollout.
    const before = createBucketry({ experiments: [skillTree] }).status().version;
    const after = createBucketry({ experiments: mergeRollouts([skillTree], { rollouts: { skill_tree_layout: record(10) } }).experiments }).status().version;
    expect(after).not.toBe(before);
  });

  it('gives a record at 10% the config, and so the derived version, of a deploy at 10%; enabled is written when it says something', () => {
    const deployedAt10 = createBucketry({ experiments: [{ ...skillTree, rollout: 10 }] }).experiment('skill_tree_layout').version;
    const fromStore = mergeRollouts([skillTree], { rollouts: { skill_tree_layout: record(10) } }).experiments;
    expect(fromStore).toEqual([{ ...skillTree, rollout: 10 }]);
    expect(createBucketry({ experiments: fromStore }).experiment('skill_tree_layout').version).toBe(deployedAt10);
    // A base that says enabled: false is switched on by an enabled record, and a disabled record always says so.
    expect(mergeRollouts([{ ...skillTree, enabled: false }], { rollouts: { skill_tree_layout: record(10) } }).experiments[0]).toMatchObject({ enabled: true, rollout: 10 });
    expect(mergeRollouts([skillTree], { rollouts: { skill_tree_layout: record(10, { enabled: false }) } }).experiments[0]).toMatchObject({ enabled: false });
  });

  it('uses a full config from the record, for a known experiment or a new one, with the record rollout', () => {
    const config: ExperimentJSON = { key: 'skill_tree_layout', variants: ['tree', 'list', 'grid'] };
    const newOne: ExperimentJSON = { key: 'new_one', variants: ['a', 'b'] };
    const { experiments, unknown } = mergeRollouts([skillTree], {
      rollouts: { skill_tree_layout: record(30, { config }), new_one: record(5, { config: newOne }) },
    });
    expect(experiments).toEqual([{ ...config, rollout: 30 }, { ...newOne, rollout: 5 }]);
    expect(unknown).toEqual([]);
  });

  it('refuses a record whose config names another key, naming the field', () => {
    expect(() => mergeRollouts([skillTree], { rollouts: { skill_tree_layout: record(1, { config: pilot }) } })).toThrow(
      'rollouts.skill_tree_layout.config.key must be the record\'s key (skill_tree_layout), got "pilot"',
    );
  });
});

describe('parseSnapshot', () => {
  it('reads JSON text or an object, phase and reason defaulting to null', () => {
    const { phase, reason, ...rest } = record(10);
    expect(parseSnapshot(JSON.stringify({ rollouts: { a: rest } }))).toEqual({ rollouts: { a: { ...rest, phase: null, reason: null } } });
    expect(parseSnapshot({})).toEqual({ rollouts: {} });
  });

  it.each([
    [{ rollouts: { a: { ...record(150) } } }, 'rollouts.a.rollout must be a number from 0 to 100, got 150'],
    [{ rollouts: { a: { ...record(1), enabled: 'yes' } } }, 'rollouts.a.enabled must be true or false, got "yes"'],
    [{ rollouts: { a: { ...record(1), version: 1.5 } } }, 'rollouts.a.version must be a whole number from 1, got 1.5'],
    [{ rollouts: { a: { ...record(1), actor: '' } } }, 'rollouts.a.actor must be a non-empty string, got ""'],
    [{ rollouts: [] }, 'rollouts must be an object of experiment key to rollout record, got'],
    ['{"rollouts":', 'snapshot must be valid JSON'],
    [[], 'snapshot must be an object { "rollouts": { … } }'],
  ])('refuses %j naming the field, the value and the rule', (input, message) => {
    expect(() => parseSnapshot(input)).toThrow(ExperimentConfigError);
    expect(() => parseSnapshot(input)).toThrow(message);
  });
});
