import { describe, expect, it } from 'vitest';
import { MAX_SAMPLED_VALUES, sampleHash, UnitSample } from './unit-sample.js';

describe('UnitSample', () => {
  it('keeps whole units, those whose hash is below a threshold, when more values come than it holds', () => {
    // 6,000 units with 1–8 values each (27,000 values), arriving round by round as a unit's events
    // would: the sample must halve its threshold at least once.
    const units = 6000;
    const valuesOf = (row: number) => 1 + (row % 8);
    const hashOf = (row: number) => {
      const id = Buffer.from(`user-${row}`);
      return sampleHash(id, 0, id.length);
    };
    const sample = new UnitSample();
    const series = sample.addSeries();
    for (let round = 0; round < 8; round++) {
      for (let row = 0; row < units; row++) if (round < valuesOf(row)) sample.add(series, row, hashOf(row), row * 10 + round);
    }
    const { rows, values } = sample.values(series);
    expect(rows.length).toBeLessThanOrEqual(MAX_SAMPLED_VALUES);
    expect(rows.length).toBeGreaterThan(MAX_SAMPLED_VALUES / 4);
    const kept = new Map<number, number[]>();
    rows.forEach((row, i) => kept.set(row, [...(kept.get(row) ?? []), values[i]!]));
    // Every unit in the sample has all its values there.
    for (const [row, got] of kept) expect(got.sort((a, b) => a - b)).toEqual(Array.from({ length: valuesOf(row) }, (_, j) => row * 10 + j));
    // The units in it are those below a threshold of the hash: every one kept hashes lower than every one left out.
    const keptHashes = [...kept.keys()].map(hashOf);
    const leftHashes = Array.from({ length: units }, (_, row) => row).filter((row) => !kept.has(row)).map(hashOf);
    expect(leftHashes.length).toBeGreaterThan(0);
    expect(Math.max(...keptHashes)).toBeLessThan(Math.min(...leftHashes));
  });
});
