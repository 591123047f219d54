import { afterEach, describe, expect, it, vi } from 'vitest';
import { logToConsole } from './error-context.js';

// The default onError: one line on stderr, naming the package, the source and, when there is
// one, the experiment.
afterEach(() => {
  vi.restoreAllMocks();
});

describe('logToConsole', () => {
  it('names the experiment in parentheses when the context has one', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const error = new Error('header not set');
    logToConsole('@bucketry/test')(error, { source: 'response', experiment: 'skill_tree_layout' });
    expect(log).toHaveBeenCalledWith('@bucketry/test: response error (skill_tree_layout):', error);
  });

  it('leaves the parentheses out without an experiment', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const error = new Error('user lookup failed');
    logToConsole('@bucketry/test')(error, { source: 'unit' });
    expect(log).toHaveBeenCalledWith('@bucketry/test: unit error:', error);
  });
});
