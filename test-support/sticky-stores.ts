import type { StickyStore } from '@bucketry/core';

// The sticky stores the adapters' tests (@bucketry/express, @bucketry/next) give their middleware
// or proxy: a preloading store in memory, a wrapper that lists loads, and loads that fail.

/** `@bucketry/http`'s `PreloadingStickyStore` (described here: the root cannot resolve http). */
export interface PreloadingStore extends StickyStore {
  load(units: readonly string[]): Promise<void>;
  close?(): Promise<unknown>;
}

/**
 * A preloading store in memory with `records` (unit → variant) of `experiment`, each visible only
 * once its unit is loaded; it lists what `load` was asked and counts `close` calls.
 */
export function memoryStickyStore(experiment: string, records: Readonly<Record<string, string>> = {}) {
  const loads: string[][] = [];
  const loaded = new Map<string, string>();
  let closed = 0;
  return {
    loads,
    closed: () => closed,
    load(units: readonly string[]): Promise<void> {
      loads.push([...units]);
      for (const unit of units) if (records[unit] !== undefined) loaded.set(unit, records[unit]!);
      return Promise.resolve();
    },
    get: (unit: string, key: string) => (key === experiment ? loaded.get(unit) : undefined),
    set: (unit: string, key: string, variant: string) => void (key === experiment && loaded.set(unit, variant)),
    close: async () => void closed++,
  };
}

/** `store` with its `load` calls listed, the rest its own: what the adapter is given, to count loads. */
export function countingLoads(store: PreloadingStore): { counted: PreloadingStore; loads: (readonly string[])[] } {
  const loads: (readonly string[])[] = [];
  const counted: PreloadingStore = {
    load: (units) => (loads.push(units), store.load(units)),
    get: (unit, experiment) => store.get(unit, experiment),
    set: (unit, experiment, variant) => store.set(unit, experiment, variant),
    close: () => store.close?.() ?? Promise.resolve(),
  };
  return { counted, loads };
}

/** A `load` that fails each way a store's can, with the message `store refused`: for `it.each`. */
export const FAILING_LOADS = [
  ['rejects', () => Promise.reject(new Error('store refused'))],
  [
    'throws',
    () => {
      throw new Error('store refused');
    },
  ],
] as const;
