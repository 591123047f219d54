import { describe, expect, it } from 'vitest';
import { UnitTable } from './unit-table.js';

describe('UnitTable', () => {
  it('counts a conversion only when the event is at or after the first exposure, in any order', () => {
    const table = new UnitTable(2);
    const a = table.row('a');
    table.track(a, 0, 500); // before any exposure is known
    table.expose(a, 1, 300);
    table.expose(a, 1, 100);
    table.track(a, 1, 50); // only before the first exposure
    expect(table.converted(a, 0)).toBe(true);
    expect(table.converted(a, 1)).toBe(false);
    expect(table.firstExposure[a]).toBe(100);
    expect(table.variantOf(a)).toBe(1);
  });

  it('tells units in one variant from units in several, and from units never exposed', () => {
    const table = new UnitTable(0);
    table.expose(table.row('one'), 3, 1);
    table.expose(table.row('two'), 0, 1);
    table.expose(table.row('two'), 2, 2);
    table.row('none');
    expect([table.variantOf(table.find('one')!), table.variantOf(table.find('two')!), table.variantOf(table.find('none')!)]).toEqual([3, -2, -1]);
    expect(table.find('other')).toBeUndefined();
  });

  it('keeps every row when it grows', () => {
    const table = new UnitTable(1);
    for (let i = 0; i < 5000; i++) {
      const row = table.row(`u${i}`);
      table.expose(row, i % 2, i);
      if (i % 3 === 0) table.track(row, 0, i + 1);
    }
    expect(table.size).toBe(5000);
    for (const i of [0, 1023, 1024, 4999]) {
      const row = table.find(`u${i}`)!;
      expect(table.variantOf(row)).toBe(i % 2);
      expect(table.firstExposure[row]).toBe(i);
      expect(table.converted(row, 0)).toBe(i % 3 === 0);
    }
  });

  it('finds the same unit from its id or from its UTF-8 bytes, and keeps ids that differ only in a lone surrogate apart', () => {
    const table = new UnitTable(0);
    const row = table.row('żółw-1');
    const bytes = Buffer.from('xx żółw-1 yy');
    expect(table.rowOfBytes(bytes, 3, 3 + Buffer.byteLength('żółw-1'))).toBe(row);
    expect(table.findBytes(bytes, 0, 2)).toBe(-1);
    const a = table.row('id\ud800');
    const b = table.row('id\udbff');
    expect(a).not.toBe(b);
    expect(table.row('id\ud800')).toBe(a);
    expect(table.size).toBe(3);
  });
});
