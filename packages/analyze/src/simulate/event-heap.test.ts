import { describe, expect, it } from 'vitest';
import { EventHeap } from './event-heap.js';
import { Random } from '@bucketry/stats';

describe('EventHeap', () => {
  it('pops in time order, equal times in insertion order', () => {
    const heap = new EventHeap();
    const random = new Random(3);
    for (let i = 0; i < 500; i++) heap.push({ time: random.int(50), sequence: i, text: String(i) });
    let last = { time: -1, sequence: -1 };
    while (heap.size > 0) {
      const item = heap.pop()!;
      expect(item.time > last.time || (item.time === last.time && item.sequence > last.sequence)).toBe(true);
      last = item;
    }
    expect(heap.pop()).toBeUndefined();
  });
});
