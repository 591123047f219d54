import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExperimentConfigError } from '@bucketry/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileStore } from './file-store.js';
import { setRollout } from './set-rollout.js';

const dir = mkdtempSync(join(tmpdir(), 'bucketry-live-set-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('setRollout', () => {
  it.each([
    ['Skill Tree', { percent: 10 }, 'experiment must be an experiment key matching'],
    ['skill_tree_layout', { percent: 150 }, 'percent must be from 0 to 100 (10 is 10%; 0 is the kill switch), got 150'],
    ['skill_tree_layout', { fraction: 10 }, 'give 10 as a percent'],
    ['skill_tree_layout', { percent: 10, phase: '' }, 'phase must be a non-empty string when given, got ""'],
    ['skill_tree_layout', { percent: 10, expectedVersion: -1 }, 'expectedVersion must be a whole number from 0 (0: no record yet), got -1'],
    ['skill_tree_layout', { percent: 10, enabled: 'no' as never }, 'enabled must be true or false, got "no"'],
  ])('refuses %s %j naming the field, the value and the rule, and writes nothing', async (experiment, options, message) => {
    const path = join(dir, `${Math.random()}.json`);
    const store = createFileStore({ path });
    await expect(setRollout(store, experiment, options)).rejects.toThrow(ExperimentConfigError);
    await expect(setRollout(store, experiment, options)).rejects.toThrow(message);
    await expect(store.read()).rejects.toThrow('ENOENT'); // never created
  });

  it('records the actor as "unknown" when none is given', async () => {
    const store = createFileStore({ path: join(dir, 'actor.json') });
    expect((await setRollout(store, 'pilot', { fraction: 0.1 })).record).toMatchObject({ rollout: 10, actor: 'unknown' });
  });
});
