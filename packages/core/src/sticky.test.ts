import { describe, expect, it } from 'vitest';
import { createMemoryStickyStore } from './sticky.js';

describe('createMemoryStickyStore', () => {
  it('records per unit and experiment and lists what it holds', () => {
    const store = createMemoryStickyStore([{ unit: 'u1', experiment: 'a', variant: 'list' }]);
    store.set('u1', 'b', 'tree');
    store.set('u2', 'a', 'tree');
    expect(store.get('u1', 'a')).toBe('list');
    expect(store.get('u1', 'b')).toBe('tree');
    expect(store.get('u3', 'a')).toBeUndefined();
    expect(store.size).toBe(3);
    expect(store.records()).toEqual(
      expect.arrayContaining([
        { unit: 'u1', experiment: 'a', variant: 'list' },
        { unit: 'u2', experiment: 'a', variant: 'tree' },
        { unit: 'u1', experiment: 'b', variant: 'tree' },
      ]),
    );
  });

  it('is not fooled by prototype-looking keys', () => {
    const store = createMemoryStickyStore();
    expect(store.get('__proto__', 'constructor')).toBeUndefined();
    store.set('__proto__', 'a', 'list');
    expect(store.get('__proto__', 'a')).toBe('list');
  });
});
