import { describe, expect, it, vi } from 'vitest';
import { assignVariant } from './assign.js';
import { createBucketry } from './client.js';
import { defineExperiment } from './experiment.js';
import { createMemorySink } from './sinks/memory-sink.js';
import type { StickyStore } from './sticky.js';
import { failingStickyStores } from './test-support/failing-sticky-stores.js';

// createBucketry({ sticky }) with a store that fails: the unit is assigned as without a store,
// and onError hears about it with source 'sticky' (not 'assignment') and the experiment's key.
const inTraffic = { key: 'checkout', variants: ['tree', 'list'], rollout: 100 } as const;
const noTraffic = { key: 'banner', variants: ['off', 'on'], rollout: 100, traffic: 0 } as const;
const { readFailure, writeFailure, failingGet, failingSet } = failingStickyStores();

function clientWith(sticky: StickyStore) {
  const onError = vi.fn();
  const sink = createMemorySink();
  const bucketry = createBucketry({ experiments: [inTraffic, noTraffic], sticky, sink, onError, now: () => 0 });
  return { bucketry, onError, sink };
}

describe('createBucketry with a failing sticky store', () => {
  it.each([
    ['get throws', failingGet, readFailure],
    ['set throws', failingSet, writeFailure],
  ])('%s: the unit is still bucketed and exposed, and onError is told with source "sticky"', (_name, store, failure) => {
    const { bucketry, onError, sink } = clientWith(store);
    const plain = assignVariant(defineExperiment(inTraffic), 'user-1');
    expect(plain).toMatchObject({ variant: 'list', inExperiment: true, reason: 'bucketed' });

    expect(bucketry.assign('checkout', 'user-1')).toEqual({ ...plain, error: failure });
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(failure, { source: 'sticky', experiment: 'checkout' });
    expect(sink.events).toMatchObject([{ experiment: 'checkout', unit: 'user-1', variant: 'list', reason: 'bucketed' }]);

    // peek decides the same way, and reports the same way, without exposing.
    expect(bucketry.peek('checkout', 'user-2')).toMatchObject({ variant: 'list', reason: 'bucketed', error: failure });
    expect(onError).toHaveBeenLastCalledWith(failure, { source: 'sticky', experiment: 'checkout' });
    expect(onError).toHaveBeenCalledTimes(2);
    expect(sink.events).toHaveLength(1);
  });

  it('a failed read on a unit kept out by traffic: control, not exposed, still reported as "sticky"', () => {
    const { bucketry, onError, sink } = clientWith(failingGet);
    expect(bucketry.assign('banner', 'user-1')).toEqual({ ...assignVariant(defineExperiment(noTraffic), 'user-1'), error: readFailure });
    expect(bucketry.assign('banner', 'user-1')).toMatchObject({ variant: 'off', inExperiment: false, reason: 'traffic' });
    expect(onError).toHaveBeenCalledWith(readFailure, { source: 'sticky', experiment: 'banner' });
    expect(sink.events).toEqual([]);
  });

  it('a store that works reports nothing', () => {
    const records = new Map<string, string>();
    const working: StickyStore = { get: (unit, key) => records.get(`${key}:${unit}`), set: (unit, key, variant) => void records.set(`${key}:${unit}`, variant) };
    const { bucketry, onError } = clientWith(working);
    expect(bucketry.assign('checkout', 'user-1')).toMatchObject({ reason: 'bucketed' });
    expect(bucketry.assign('checkout', 'user-1')).toMatchObject({ reason: 'sticky', variant: 'list' });
    expect(onError).not.toHaveBeenCalled();
  });
});

// A store whose read failed is not written to: the unit may well have a record that could not be
// read, and writing the fresh bucketing over it would move the unit. The assignment carries the
// read error; the write is left for a later request that can read.
describe('a sticky store whose read fails', () => {
  const experiment = defineExperiment(inTraffic);

  it('is not written to; the unit is bucketed and the read error kept', () => {
    const set = vi.fn();
    expect(assignVariant(experiment, 'user-1', undefined, { sticky: { ...failingGet, set } })).toMatchObject({ variant: 'list', reason: 'bucketed', error: readFailure });
    expect(set).not.toHaveBeenCalled();
  });

  it('a store that reads nothing is written the fresh variant', () => {
    const set = vi.fn();
    assignVariant(experiment, 'user-1', undefined, { sticky: { get: () => undefined, set } });
    expect(set).toHaveBeenCalledWith('user-1', 'checkout', 'list');
  });
});
