import { describe, expect, it } from 'vitest';
import { readConfig } from './config.mjs';
import { useScratchDir } from './test-support/scratch-dir.js';
import { useExamples } from './test-support/start-example.js';

// SKILL_TREE_LIST_ROLLOUT is a percent: 0.1 is one user in a thousand, not 10%. A value above 0
// and below 1 starts the server (it may be meant) with a warning that says what it does.
const scratch = useScratchDir('skill-tree-fraction-');

describe('a SKILL_TREE_LIST_ROLLOUT below 1', () => {
  it.each([
    ['0.1', 0.1, 10],
    ['0.05', 0.05, 5],
    ['0.125', 0.125, 12.5],
  ])('%s: the warning gives the effective percentage and the value meant as a fraction', (value, rollout, meant) => {
    const config = readConfig({ SKILL_TREE_LIST_ROLLOUT: value });
    expect(config.rollout).toBe(rollout);
    expect(config.rolloutWarning).toBe(
      `SKILL_TREE_LIST_ROLLOUT=${rollout} gives the list layout to ${rollout}% of users: it is a percent. For ${meant}%, set SKILL_TREE_LIST_ROLLOUT=${meant} (or PILOT_ROLLOUT_PCT=${rollout}, a fraction)`,
    );
  });

  it.each([['0'], ['1'], ['10'], ['100']])('%s: no warning', (value) => {
    expect(readConfig({ SKILL_TREE_LIST_ROLLOUT: value }).rolloutWarning).toBeUndefined();
  });

  it('PILOT_ROLLOUT_PCT is a fraction already: no warning', () => {
    expect(readConfig({ PILOT_ROLLOUT_PCT: '0.1' })).toMatchObject({ rollout: 10, rolloutWarning: undefined });
  });

  describe('at start-up', () => {
    const startExample = useExamples();

    it('the server prints the warning before it listens, and serves at 0.1%', async () => {
      const running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '0.1', EXPOSURE_LOG: scratch('fraction.jsonl') });
      expect(running.output()).toContain(
        'skill-tree: warning: SKILL_TREE_LIST_ROLLOUT=0.1 gives the list layout to 0.1% of users: it is a percent. For 10%, set SKILL_TREE_LIST_ROLLOUT=10',
      );
      expect(running.output().indexOf('warning')).toBeLessThan(running.output().indexOf('listening on'));
      const status = await (await fetch(`${running.url}/api/feature-flags/skill_tree_layout`)).json();
      expect(status).toEqual({ enabled: true, percentage: 0.1 });
    });

    it('a value of 10 starts without it', async () => {
      const running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '10', EXPOSURE_LOG: scratch('ten.jsonl') });
      expect(running.output()).not.toContain('warning');
    });
  });
});
