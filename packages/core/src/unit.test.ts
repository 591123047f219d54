import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assignVariant } from './assign.js';
import { experimentFromJSON } from './experiment-json.js';
import { prepareUnit, unitKey } from './unit.js';

const bytesOf = (unit: Parameters<typeof prepareUnit>[0]) => Array.from(prepareUnit(unit)?.bytes ?? []);

describe('units', () => {
  it('keeps string ids as they are', () => {
    expect(unitKey('user-42')).toBe('user-42');
    expect(prepareUnit('user-42')?.bytes).toBeUndefined();
  });

  it('gives compound units one canonical key whatever the field order, numbers as text', () => {
    expect(unitKey({ userId: 42, tenantId: 'acme' })).toBe('{"tenantId":"acme","userId":"42"}');
    expect(unitKey({ tenantId: 'acme', userId: '42' })).toBe(unitKey({ userId: 42, tenantId: 'acme' }));
    expect(bytesOf({ tenantId: 'acme', userId: '42' })).toEqual(bytesOf({ userId: 42, tenantId: 'acme' }));
  });

  it('treats empty, null and incomplete units as missing', () => {
    for (const unit of ['', null, undefined, {}, { userId: '' }, { userId: Number.NaN }, { userId: {} as never }]) {
      expect(unitKey(unit as never)).toBeUndefined();
    }
  });

  it('treats an array as a missing unit, never as the map {"0": ...} (docs/spec.md §3.1)', () => {
    const experiment = experimentFromJSON({ key: 'k', variants: ['a', 'b'], rollout: 100 });
    for (const unit of [['a'], ['tenant', 'user'], [], [{ userId: '1' }]]) {
      expect(unitKey(unit as never)).toBeUndefined();
      expect(assignVariant(experiment, unit as never)).toMatchObject({ reason: 'missing_unit', unit: '', bucket: -1, variant: 'a' });
    }
  });

  it('treats boxed strings, dates, Maps, Sets and typed arrays as missing: built-in objects are not maps', () => {
    const built = [new String('user-42'), new Date(0), new Map([['userId', '1']]), new Set(['1']), Uint8Array.of(49), /user/];
    for (const unit of built) expect(unitKey(unit as never), Object.prototype.toString.call(unit)).toBeUndefined();
  });

  it('reads any ordinary object as a map: null prototype, class instance, another realm', () => {
    const bare = Object.assign(Object.create(null) as Record<string, string>, { userId: '1' });
    class UserRef {
      constructor(readonly userId: string) {}
    }
    const foreign = runInNewContext('({ userId: "1" })') as Record<string, string>;
    expect(Object.getPrototypeOf(foreign)).not.toBe(Object.prototype);
    for (const unit of [bare, new UserRef('1'), foreign]) expect(unitKey(unit as Record<string, string>)).toBe('{"userId":"1"}');
  });

  it('encodes compound units injectively: different units never share bytes', () => {
    const field = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 });
    const compound = fc.dictionary(field, field, { minKeys: 1, maxKeys: 3 });
    fc.assert(
      fc.property(compound, compound, (a, b) => {
        const same = unitKey(a) === unitKey(b);
        expect(bytesOf(a).join(',') === bytesOf(b).join(',')).toBe(same);
      }),
      { numRuns: 2000, seed: 5 },
    );
    // The classic concatenation collision: ("ab","c") against ("a","bc").
    expect(bytesOf({ x: 'ab', y: 'c' })).not.toEqual(bytesOf({ x: 'a', y: 'bc' }));
    expect(bytesOf({ xa: 'b' })).not.toEqual(bytesOf({ x: 'ab' }));
  });

  it('marks compound bytes with 0xFF, which UTF-8 text never holds, so they cannot equal a string id', () => {
    const bytes = bytesOf({ userId: 'u' });
    expect(bytes[0]).toBe(0xff);
    expect(bytes).toEqual([0xff, ...new TextEncoder().encode('userId'), 0xfe, 0x75, 0xff]);
  });

  it('handles field names that look like prototype keys', () => {
    const unit = JSON.parse('{"__proto__":"x","userId":"1"}');
    expect(unitKey(unit)).toBe('{"__proto__":"x","userId":"1"}');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
