import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashEventId } from './event-id-hash.js';
import { EventIdSet } from './event-id-set.js';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';

// Half a million ids hashed and added: seconds on a busy machine.
useSlowTestTimeouts();

const fingerprint = new Int32Array(2);
/** Adds the id's fingerprint under `seed`; whether it was new. */
function add(set: EventIdSet, id: string, seed = 1): boolean {
  const bytes = Buffer.from(id);
  hashEventId(bytes, 0, bytes.length, seed, fingerprint, 0);
  return set.add(fingerprint[0]!, fingerprint[1]!);
}

describe('EventIdSet', () => {
  it('says whether an id is new, and keeps every id as it grows', () => {
    const set = new EventIdSet();
    const ids = Array.from({ length: 50_000 }, (_, i) => `event-${i}`);
    expect(ids.map((id) => add(set, id)).every(Boolean)).toBe(true);
    expect(set.size).toBe(ids.length);
    expect(ids.some((id) => add(set, id))).toBe(false);
    expect(set.size).toBe(ids.length);
    // At most seven eighths full: 8 bytes a slot, under 20 bytes an id.
    expect(set.bytes).toBeLessThanOrEqual(ids.length * 20);
    expect(set.bytes * 0.875).toBeGreaterThanOrEqual(ids.length * 8);
  });

  it('tells apart half a million ids that differ in a character or two, and random UUIDs, in one table', () => {
    const set = new EventIdSet();
    let added = 0;
    for (let i = 0; i < 250_000; i++) added += Number(add(set, `evt_${i.toString(36)}`)) + Number(add(set, randomUUID()));
    expect(added).toBe(500_000);
  });

  it('keeps fingerprints that share many top bits, and any order of them, as pages split again and again', () => {
    // Top 16 bits alike: the first 16 splits of their page all go to one side.
    const fingerprints: [number, number][] = [];
    for (let i = 0; i < 20_000; i++) fingerprints.push([(0x5a5a << 16) | ((i * 40_503) & 0xffff), i + 1]);
    // The same first half, told apart by the second.
    for (let i = 0; i < 50; i++) fingerprints.push([0x12345678, -i - 1]);
    for (let i = 0; i < 5_000; i++) fingerprints.push([Math.imul(i + 1, 0x9e3779b1), 7]);
    const set = new EventIdSet();
    expect(fingerprints.every(([a, b]) => set.add(a, b))).toBe(true);
    expect(set.size).toBe(fingerprints.length);
    expect(fingerprints.some(([a, b]) => set.add(a, b))).toBe(false);
    expect(set.size).toBe(fingerprints.length);
    // The same fingerprint's other half makes a different id.
    expect(set.add(fingerprints[0]![0], 123_456_789)).toBe(true);
    // Every page at most seven eighths full.
    expect(set.pages * 512 * 0.875).toBeGreaterThanOrEqual(set.size);
  });

  it('hashes the bytes of an id, whatever around them; a different seed gives a different fingerprint', () => {
    const out = new Int32Array(6);
    const line = Buffer.from('{"messageId":"0b9e5f4c-6d1a-4c8e-9f0a-2b7d3e1c5a64"}');
    const id = Buffer.from('0b9e5f4c-6d1a-4c8e-9f0a-2b7d3e1c5a64');
    hashEventId(line, 14, 14 + id.length, 5, out, 0);
    hashEventId(id, 0, id.length, 5, out, 2);
    hashEventId(id, 0, id.length, 6, out, 4);
    expect([out[0], out[1]]).toEqual([out[2], out[3]]);
    expect([out[0], out[1]]).not.toEqual([out[4], out[5]]);
    // Never (0, 0): that marks an empty slot. The empty id included.
    hashEventId(id, 0, 0, 0, out, 0);
    expect(out[0] !== 0 || out[1] !== 0).toBe(true);
  });
});
