import { describe, expect, it } from 'vitest';
import { createBucketry } from './client.js';
import { configError } from './test-support/config-error.js';

// The errors of the experiments given to createBucketry: an ExperimentConfigError naming what is
// wrong (never a TypeError from reading a field of undefined), the experiment at fault named by
// its index (experiments[i].field), and any other error passed on as it was thrown, never dressed
// up as a config error.
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

  it('passes on an error that is not a config error unchanged (a Proxy whose `in` check throws)', () => {
    const boom = new Error('has trap');
    const hostile = new Proxy({}, { has: () => { throw boom; } });
    let thrown: unknown;
    try {
      createBucketry({ experiments: [hostile as never] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBe(boom);
  });
});
