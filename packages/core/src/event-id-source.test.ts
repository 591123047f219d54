import { afterEach, describe, expect, it, vi } from 'vitest';
import { newEventId } from './event-id.js';

// Where an event id comes from: crypto.randomUUID when the runtime has it, else Math.random
// spread over every random digit of a version-4 UUID (4 bits per x, 2 in the variant digit y).

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('newEventId', () => {
  it("is crypto.randomUUID's id when the runtime gives one", () => {
    const id = '0f8b2c4e-1a2b-4c3d-9e8f-0123456789ab';
    vi.stubGlobal('crypto', { randomUUID: () => id });
    expect(newEventId()).toBe(id);
  });

  it('without crypto, uses every hex digit in the random places and 8, 9, a and b in the variant place', () => {
    vi.stubGlobal('crypto', undefined);
    const ids = Array.from({ length: 400 }, () => newEventId());
    const random = new Set(ids.flatMap((id) => [...id.slice(0, 8), ...id.slice(9, 13), ...id.slice(15, 18), ...id.slice(20, 23), ...id.slice(24)]));
    expect([...random].sort().join('')).toBe('0123456789abcdef');
    expect([...new Set(ids.map((id) => id[19]))].sort().join('')).toBe('89ab');
    expect(new Set(ids.map((id) => id[14]))).toEqual(new Set(['4']));
  });
});
