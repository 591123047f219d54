import { afterEach, describe, expect, it, vi } from 'vitest';
import { newAnonymousId } from './anonymous-id.js';

// Where Web Crypto's randomUUID is missing (Node 18 without a flag), issuing an id fails with an
// error that says so, not with a TypeError from deep inside.
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('newAnonymousId without crypto.randomUUID', () => {
  it.each([
    ['no crypto at all', undefined],
    ['a crypto without randomUUID', {}],
    ['a randomUUID that is not a function', { randomUUID: 'uuid' }],
  ])('%s: a clear error', (_name, crypto) => {
    vi.stubGlobal('crypto', crypto);
    expect(() => newAnonymousId()).toThrow('crypto.randomUUID is missing: anonymous ids need Node 20 or later, a browser or an edge runtime');
  });

  it('uses crypto.randomUUID where it exists', () => {
    vi.stubGlobal('crypto', { randomUUID: () => '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b' });
    expect(newAnonymousId()).toBe('1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b');
  });
});
