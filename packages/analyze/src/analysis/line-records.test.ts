import { describe, expect, it } from 'vitest';
import { Count, LineRecords, RecordKind } from './line-records.js';

describe('LineRecords', () => {
  it('keeps records, their units as bytes and their strings, growing as needed', () => {
    const records = new LineRecords();
    const line = Buffer.from('{"userId":"u-1"}');
    for (let i = 0; i < 5000; i++) {
      const r = records.add(RecordKind.Metric, i, i % 3, 0, 1000 + i, i / 2);
      if (i % 2 === 0) records.setUnitBytes(r, line, 11, 14);
      else records.setUnitId(r, `ü${i}`);
    }
    expect(records.count).toBe(5000);
    expect([records.kind(4999), records.line(4999), records.a(4999), records.time(4999), records.value(4999)]).toEqual([RecordKind.Metric, 4999, 1, 5999, 2499.5]);
    const unit = (r: number) => Buffer.from(records.unitBytes.subarray(records.unitStart(r), records.unitEnd(r))).toString();
    expect([unit(0), unit(4998), unit(4999)]).toEqual(['u-1', 'u-1', 'ü4999']);
  });

  it('shares the index of a string kept a moment ago, so repeated versions and names cost once', () => {
    const records = new LineRecords();
    const v1 = records.string('3a3679ab');
    records.string('skill_tree_loaded');
    expect(records.string('3a3679ab')).toBe(v1);
    for (let i = 0; i < 10; i++) records.string(`message ${i}`);
    expect(records.string('3a3679ab')).not.toBe(v1); // too far back: kept again, which is only a cost
    expect(records.strings[v1]).toBe('3a3679ab');
  });

  it('moves between threads as a message and comes back whole, and clears for reuse', () => {
    const records = new LineRecords();
    records.setUnitId(records.add(RecordKind.Exposure, 3, 1, records.string('v1'), 42, 0), 'u7');
    records.counts[Count.Lines] = 10;
    const { message, transfer } = records.toMessage();
    const copy = structuredClone(message, { transfer });
    expect(records.ints.length).toBe(0); // transferred, not copied
    const back = LineRecords.fromMessage(copy);
    expect([back.count, back.kind(0), back.line(0), back.strings[back.b(0)], back.time(0), back.counts[Count.Lines]]).toEqual([1, RecordKind.Exposure, 3, 'v1', 42, 10]);
    back.clear();
    expect([back.count, back.strings.length, back.counts[Count.Lines], back.unitBytesUsed]).toEqual([0, 0, 0, 0]);
  });
});
