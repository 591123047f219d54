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
    // At most three quarters full: 8 bytes a slot, under 22 bytes an id.
    expect(set.bytes).toBeLessThanOrEqual(ids.length * 22);
    expect(set.bytes * 0.75).toBeGreaterThanOrEqual(ids.length * 8);
  });

  it('tells apart half a million ids that differ in a character or two, and random UUIDs, in one table', () => {
    const set = new EventIdSet();
    let added = 0;
    for (let i = 0; i < 250_000; i++) added += Number(add(set, `evt_${i.toString(36)}`)) + Number(add(set, randomUUID()));
    expect(added).toBe(500_000);
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
