import { describe, expect, it } from 'vitest';
import { createBucketry } from './client.js';
import { ExperimentConfigError } from './errors.js';

// A set of experiments names the experiment at fault in a config error (experiments[i].field),
// and passes any other error on as it was thrown, never dressed up as a config error.
describe('the errors of a set of experiments', () => {
  it('prefixes a config error with the index of its experiment', () => {
    const ok = { key: 'a', variants: ['x', 'y'] };
    const error = (() => {
      try {
        createBucketry({ experiments: [ok, { key: 'b', variants: ['x', 'y'], rollout: 150 }] });
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(ExperimentConfigError);
    expect((error as ExperimentConfigError).field).toBe('experiments[1].rollout');
  });

  it('passes on an error that is not a config error unchanged (a Proxy whose `in` check throws)', () => {
    const boom = new Error('has trap');
    const hostile = new Proxy({}, { has: () => { throw boom; } });
    expect(() => createBucketry({ experiments: [hostile as never] })).toThrow(boom);
    let thrown: unknown;
    try {
      createBucketry({ experiments: [hostile as never] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBe(boom);
  });
});
