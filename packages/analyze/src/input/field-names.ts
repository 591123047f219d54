// Which field a key in a line is, from its bytes: one table lookup and at most one comparison.

import { Field } from './line-fields.js';

/** Not a field the scanner notes. */
export const OTHER = 0;

const FIELD_NAMES = Object.entries(Field).map(([name, id]) => [id, name] as const);

/** Bytes of each field name, by id. */
const FIELD_BYTES: Uint8Array[] = [];
for (const [id, name] of FIELD_NAMES) FIELD_BYTES[id] = Uint8Array.from(name, (c) => c.charCodeAt(0));

/** A key's slot in FIELD_SLOTS, from its length and four of its bytes: field names differ in it, other keys rarely share one. */
const slotOfKey = (length: number, first: number, second: number, beforeLast: number, last: number): number =>
  (length * 37 + first * 11 + second * 3 + beforeLast * 7 + last * 5) & 1023;
/** The field id whose name has this slot, or OTHER. */
const FIELD_SLOTS = new Uint8Array(1024);
for (const [id, name] of FIELD_NAMES) {
  const slot = slotOfKey(name.length, name.charCodeAt(0), name.charCodeAt(1), name.charCodeAt(name.length - 2), name.charCodeAt(name.length - 1));
  if (FIELD_SLOTS[slot] !== OTHER) throw new Error(`field names ${name} and ${FIELD_NAMES.find(([other]) => other === FIELD_SLOTS[slot])![1]} share a slot`);
  FIELD_SLOTS[slot] = id;
}

/** Whether bytes[start, start + name.length) equals `name`. */
export function bytesEqual(bytes: Uint8Array, start: number, name: Uint8Array): boolean {
  for (let k = 0; k < name.length; k++) if (bytes[start + k] !== name[k]) return false;
  return true;
}

/** The field id of the key bytes[start, start + length): one table lookup and at most one comparison. */
export function fieldOf(bytes: Uint8Array, start: number, length: number): number {
  if (length < 4) return OTHER;
  const id = FIELD_SLOTS[slotOfKey(length, bytes[start]!, bytes[start + 1]!, bytes[start + length - 2]!, bytes[start + length - 1]!)]!;
  if (id === OTHER) return OTHER;
  const name = FIELD_BYTES[id]!;
  return name.length === length && bytesEqual(bytes, start, name) ? id : OTHER;
}
