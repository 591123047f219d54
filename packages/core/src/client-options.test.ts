import { describe, expect, it } from 'vitest';
import { createBucketry } from './client.js';
import { ExperimentConfigError } from './errors.js';
import { experimentFromJSON } from './experiment-json.js';

// createBucketry and experimentFromJSON given nothing usable: an ExperimentConfigError naming
// what is wrong, never a TypeError from reading a field of undefined.
describe('createBucketry without options', () => {
  it.each([undefined, null, 'skill_tree_layout'])('createBucketry(%j) names experiments', (options) => {
    let thrown: unknown;
    try {
      createBucketry(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ExperimentConfigError);
    expect((thrown as ExperimentConfigError).field).toBe('experiments');
    expect((thrown as Error).message).toContain('experiments must be an array of experiments or experiment configs');
  });
});

describe('experimentFromJSON given text that is not JSON', () => {
  it('names config and says why the text did not parse', () => {
    let thrown: unknown;
    try {
      experimentFromJSON('{ "key": "skill_tree_layout", ');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ExperimentConfigError);
    expect((thrown as ExperimentConfigError).field).toBe('config');
    expect((thrown as Error).message).toMatch(/^config must be valid JSON \(.+\)/);
  });

  it('parses text that is JSON', () => {
    expect(experimentFromJSON('{ "key": "skill_tree_layout", "variants": ["tree", "list"] }').key).toBe('skill_tree_layout');
  });
});
