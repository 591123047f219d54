import { describe, expect, it } from 'vitest';
import { checkStickyStore } from './sticky-preload.js';
import { optionError } from './test-support/option-error.js';

// The `sticky` option: an object with get, set and load functions, and close a function if given.
const store = () => ({ get: () => undefined, set: () => {}, load: async () => {} });

describe('checkStickyStore', () => {
  it('takes a store with get, set and load, with or without close', () => {
    const plain = store();
    expect(checkStickyStore(plain)).toBe(plain);
    const closing = { ...store(), close: async () => {} };
    expect(checkStickyStore(closing)).toBe(closing);
    expect(checkStickyStore(undefined)).toBeUndefined();
  });

  const { get: _get, ...noGet } = store();
  const { set: _set, ...noSet } = store();
  const { load: _load, ...noLoad } = store();
  it.each([
    ['null', null],
    ['a function carrying get, set and load', Object.assign(() => {}, store())],
    ['a store without get', noGet],
    ['a store without set', noSet],
    ['a store without load', noLoad],
    ['a store whose get is not a function', { ...store(), get: 'redis' }],
    ['a store whose close is not a function', { ...store(), close: 'later' }],
  ])('refuses %s, naming sticky', (_name, value) => {
    expect(optionError(() => checkStickyStore(value)).message).toContain('sticky must be a sticky store with get, set and load(units) functions');
  });
});
