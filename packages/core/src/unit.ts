import { encodeUtf8IntoScratch, putByte, utf8Scratch } from './utf8.js';
import { isMap } from './validate.js';

/**
 * A compound unit such as `{ tenantId: 'acme', userId: '42' }`: a unit made of several ids.
 * Field order does not matter; numbers count as their decimal text (`42` is `'42'`).
 *
 * @example
 * ```ts
 * assignVariant(experiment, { tenantId: 'acme', userId: 42 } satisfies CompoundUnit);
 * ```
 */
export type CompoundUnit = Readonly<Record<string, string | number>>;

/**
 * Who is being assigned: a string id or a compound key.
 *
 * @example
 * ```ts
 * const byId: Unit = 'user-42';
 * const byTenant: Unit = { tenantId: 'acme', userId: '42' };
 * ```
 */
export type Unit = string | CompoundUnit;

/**
 * A unit ready to hash: a non-empty string id, or the encoded bytes of a compound unit; or, with
 * an empty key, a compound unit that could not be read, and what reading it threw.
 * @internal
 */
export type PreparedUnit = { key: string; bytes: Uint8Array | undefined; error?: unknown };

/**
 * The unit's canonical text, used for overrides, sticky records and exposure events:
 * a string id as it is, a compound unit as JSON with its fields sorted by name.
 * Returns `undefined` when the unit is missing (empty, not a string or a plain object, or a
 * compound with an empty field or one that is not a string or a finite number).
 *
 * @example
 * ```ts
 * unitKey('user-42');                          // 'user-42'
 * unitKey({ userId: 42, tenantId: 'acme' });   // '{"tenantId":"acme","userId":"42"}'
 * ```
 */
export function unitKey(unit: Unit | null | undefined): string | undefined {
  return prepareUnit(unit)?.key || undefined;
}

// Number.isFinite is false for anything but a finite number: no coercion, so no typeof check.
const fieldText = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : Number.isFinite(value) ? String(value) : undefined;

/**
 * Prepares a unit for hashing, or returns `undefined` when it is missing (docs/spec.md §3.1).
 * Only a plain object is a compound unit: an array, a boxed string, a `Date`, a `Map` or a class
 * instance is missing, never hashed by its indices or own fields.
 *
 * A compound unit is hashed as bytes: 0xFF, then for each field in name order its UTF-8 name,
 * 0xFE, its UTF-8 value, 0xFF. UTF-8 text never holds 0xFE or 0xFF, so no two compound units
 * encode alike, and none encodes like a string id.
 *
 * A compound unit is read in a try: a getter or Proxy trap that throws gives an empty key and
 * the error (assignVariant's reason `error`), never an exception, whatever the caller passed.
 * @internal
 */
export function prepareUnit(unit: Unit | null | undefined): PreparedUnit | undefined {
  if (typeof unit === 'string') return unit.length > 0 ? { key: unit, bytes: undefined } : undefined;
  try {
    if (!isMap(unit)) return undefined;
    const names = Object.keys(unit).sort();
    if (names.length === 0) return undefined;
    // Built by hand: JSON.stringify of an object would put integer-like names ("9" before "10") out of order.
    let key = '{';
    let length = putByte(0, 0xff);
    for (const name of names) {
      const value = fieldText(unit[name]);
      if (!value) return undefined;
      key += `${key.length > 1 ? ',' : ''}${JSON.stringify(name)}:${JSON.stringify(value)}`;
      length = putByte(encodeUtf8IntoScratch(name, length), 0xfe);
      length = putByte(encodeUtf8IntoScratch(value, length), 0xff);
    }
    return { key: `${key}}`, bytes: utf8Scratch().slice(0, length) };
  } catch (error) {
    return { key: '', bytes: undefined, error };
  }
}
