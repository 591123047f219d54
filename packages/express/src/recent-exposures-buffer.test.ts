import { describe, expect, it } from 'vitest';
import { createRecentExposuresBuffer, MAX_RECENT_CAPACITY } from './recent-exposures-buffer.js';

describe('createRecentExposuresBuffer', () => {
  it('returns the latest events newest first, up to the limit', () => {
    const buffer = createRecentExposuresBuffer<number>({ capacity: 5 });
    for (const n of [1, 2, 3]) buffer.record(n);
    expect(buffer.latest()).toEqual([3, 2, 1]);
    expect(buffer.latest(2)).toEqual([3, 2]);
    expect(buffer.latest(0)).toEqual([]);
    expect(buffer.size).toBe(3);
  });

  it('keeps only the newest `capacity` events, in order, across many wraps', () => {
    const buffer = createRecentExposuresBuffer<number>({ capacity: 4 });
    for (let n = 1; n <= 1003; n++) {
      buffer.record(n);
      const expected = Array.from({ length: Math.min(n, 4) }, (_, i) => n - i);
      expect(buffer.latest()).toEqual(expected);
    }
    expect(buffer.size).toBe(4);
    expect(buffer.latest(100)).toEqual([1003, 1002, 1001, 1000]);
  });

  it('forgets everything on clear and fills again', () => {
    const buffer = createRecentExposuresBuffer<string>({ capacity: 2 });
    ['a', 'b', 'c'].forEach((e) => buffer.record(e));
    buffer.clear();
    expect(buffer.latest()).toEqual([]);
    buffer.record('d');
    expect(buffer.latest()).toEqual(['d']);
  });

  it('defaults to 1,000 events', () => {
    expect(createRecentExposuresBuffer().capacity).toBe(1000);
  });

  it.each([0, -1, 1.5, MAX_RECENT_CAPACITY + 1, '10'])('rejects a capacity of %j', (capacity) => {
    expect(() => createRecentExposuresBuffer({ capacity: capacity as number })).toThrow(`capacity must be a whole number from 1 to ${MAX_RECENT_CAPACITY}`);
  });
});
