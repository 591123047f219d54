import { describe, expect, it, vi } from 'vitest';
import { assignVariant } from './assign.js';
import { defineExperiment } from './experiment.js';
import type { StickyStore } from './sticky.js';

// A store whose read failed is not written to: the unit may well have a record that could not be
// read, and writing the fresh bucketing over it would move the unit. The assignment carries the
// read error; the write is left for a later request that can read.
const experiment = defineExperiment({ key: 'checkout', variants: ['tree', 'list'], rollout: 100 });

describe('a sticky store whose read fails', () => {
  it('is not written to; the unit is bucketed and the read error kept', () => {
    const failure = new Error('redis down (get)');
    const set = vi.fn();
    const store: StickyStore = {
      get: () => {
        throw failure;
      },
      set,
    };
    expect(assignVariant(experiment, 'user-1', undefined, { sticky: store })).toMatchObject({ variant: 'list', reason: 'bucketed', error: failure });
    expect(set).not.toHaveBeenCalled();
  });

  it('a store that reads nothing is written the fresh variant', () => {
    const set = vi.fn();
    assignVariant(experiment, 'user-1', undefined, { sticky: { get: () => undefined, set } });
    expect(set).toHaveBeenCalledWith('user-1', 'checkout', 'list');
  });
});
