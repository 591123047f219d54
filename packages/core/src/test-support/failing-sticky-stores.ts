import type { StickyStore } from '../sticky.js';

/** Sticky stores that fail: one whose reads throw, one whose writes throw, and what they throw. */
export function failingStickyStores(what = 'sticky store') {
  const readFailure = new Error(`${what} down (get)`);
  const writeFailure = new Error(`${what} down (set)`);
  const failingGet: StickyStore = {
    get: () => {
      throw readFailure;
    },
    set: () => {},
  };
  const failingSet: StickyStore = {
    get: () => undefined,
    set: () => {
      throw writeFailure;
    },
  };
  return { readFailure, writeFailure, failingGet, failingSet };
}
