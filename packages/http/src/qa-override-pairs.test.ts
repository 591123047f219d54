import { defineExperiment } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { createQaOverrideReader } from './qa-override.js';

// How one `key:variant` pair is read: split at its first colon, both sides trimmed; a pair
// without a colon is no pair at all.
const mode = defineExperiment({ key: 'mode', variants: ['modes', 'moded', 'x:y'] });
const single = defineExperiment({ key: 'a', variants: ['off', 'on'] });
const read = (header: string) =>
  createQaOverrideReader({ enabled: true }, [mode, single], { header: () => header, search: () => '' })!({});

describe('QA override pairs', () => {
  it('ignores a pair without a colon, even one that reads as a key followed by a variant', () => {
    // 'modes' is the key 'mode' plus one character, and also a variant of it.
    expect(read('modes')).toBeUndefined();
    expect(read('modes, a:on')).toEqual(new Map([['a', 'on']]));
  });

  it('reads a one-character experiment key (a colon at index 1)', () => {
    expect(read('a:on')).toEqual(new Map([['a', 'on']]));
    expect(read('a:off')).toEqual(new Map([['a', 'off']]));
  });

  it('splits at the first colon only: the variant may hold one', () => {
    expect(read('mode:x:y')).toEqual(new Map([['mode', 'x:y']]));
  });

  it('trims white space around the key and around the variant', () => {
    expect(read(' mode : moded ')).toEqual(new Map([['mode', 'moded']]));
    expect(read('a:on\t,mode:modes ')).toEqual(
      new Map([
        ['a', 'on'],
        ['mode', 'modes'],
      ]),
    );
  });
});
