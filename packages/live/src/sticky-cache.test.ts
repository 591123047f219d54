import { describe, expect, it } from 'vitest';
import { createUnitCache } from './sticky-cache.js';

describe('sticky unit cache', () => {
  it('holds at most its limit, the least recently loaded unit out first; peek is no use', () => {
    const cache = createUnitCache(2);
    cache.entry('a').variants.set('exp', 'x');
    cache.entry('b');
    expect(cache.peek('a')?.variants.get('exp')).toBe('x'); // peeking leaves 'a' the oldest
    cache.entry('c');
    expect(cache.size).toBe(2);
    expect(cache.peek('a')).toBeUndefined();

    cache.touch('b'); // now 'c' is the oldest
    cache.entry('d');
    expect(cache.peek('b')).toBeDefined();
    expect(cache.peek('c')).toBeUndefined();
    expect(cache.touch('missing')).toBeUndefined();
  });

  it('creates an entry not loaded and empty, and returns the same one after', () => {
    const cache = createUnitCache(10);
    const entry = cache.entry('u');
    expect(entry).toEqual({ loaded: false, variants: new Map() });
    entry.loaded = true;
    expect(cache.entry('u')).toBe(entry);
    expect(cache.size).toBe(1);
  });
});
