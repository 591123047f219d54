import { describe, expect, it } from 'vitest';
import { UnitValues } from './unit-values.js';

describe('UnitValues', () => {
  it('keeps every unit’s sum, count, mean and key as rows arrive one past the end, across the arrays’ growth', () => {
    const values = new UnitValues(true);
    const [a, b] = [values.addSeries(), values.addSeries()];
    // Each row's values come as the row is first met (row = capacity included), as a new unit's event does.
    for (let row = 0; row < 5000; row++) {
      values.add(a, row, row);
      values.add(a, row, 1);
      if (row % 3 === 0) values.setKey(b, row, row + 7);
    }
    const rows = Array.from({ length: 5000 }, (_, row) => row);
    expect(rows.filter((row) => values.sum(a, row) !== row + 1 || values.count(a, row) !== 2 || values.mean(a, row) !== (row + 1) / 2)).toEqual([]);
    expect(rows.filter((row) => values.key(b, row) !== (row % 3 === 0 ? row + 7 : -1) || values.count(b, row) !== 0)).toEqual([]);
    // A row never met reads as empty.
    expect([values.sum(a, 1 << 20), values.count(a, 1 << 20), values.mean(a, 1 << 20), values.key(b, 1 << 20)]).toEqual([0, 0, undefined, -1]);
    expect(values.size).toBe(2);
  });
});
