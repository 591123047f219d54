import { describe, expect, it } from 'vitest';
import { describeValue } from './errors.js';

// How long a value may be in an error message: at most 80 characters, a longer description cut
// to 77 and "...", and an array read no further than the 41 items that can show (docs/spec.md:
// an error names the value; a hostile config must not make that slow).
describe('describeValue: the 80-character limit', () => {
  it('writes a description of exactly 80 characters whole, and cuts one of 81 to 77 and "..."', () => {
    const eighty = 'x'.repeat(78); // with its quotes: 80 characters
    expect(describeValue(eighty)).toBe(`"${eighty}"`);
    expect(describeValue(`${eighty}y`)).toBe(`"${'x'.repeat(76)}...`);
    expect(describeValue(`${eighty}y`)).toHaveLength(80);
  });

  it('reads no more than the first 41 items of a long array', () => {
    const read = new Set<number>();
    const items = new Proxy(
      Array.from({ length: 100_000 }, (_, i) => i),
      {
        get(target, key, receiver) {
          if (typeof key === 'string' && /^\d+$/.test(key)) read.add(Number(key));
          return Reflect.get(target, key, receiver);
        },
      },
    );
    expect(describeValue(items)).toBe(`[${Array.from({ length: 41 }, (_, i) => i).join(',')}`.slice(0, 77) + '...');
    expect(Math.max(...read)).toBe(40);
  });
});
