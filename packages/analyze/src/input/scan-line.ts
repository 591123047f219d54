// A JSON scanner for export lines: it validates a whole line on its bytes and notes where the
// few fields the analysis reads are, and what kind of value each holds, without making a single
// JavaScript value: JSON.parse would build every object and string of the line. The classifier
// reads the fields it needs from the bytes and hands any line that is not plain (a field it
// needs holding an escape, a number where it expects text, ...) to JSON.parse, which then gives
// the exact result and message. The scanner itself declines (returns false) lines that are not
// valid JSON, or whose structure it does not follow: an escaped key, a field repeated, a kept
// field holding an object or array, nesting over 64 deep.

import { bytesEqual, fieldOf, OTHER } from './field-names.js';
import { isDigit, skipNumber } from './json-number.js';
import { Field, FieldKind, type FieldTable, type LineFields } from './line-fields.js';

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const MINUS = 45;
const ZERO = 48;
const NINE = 57;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/** Deeper values are left to JSON.parse; no field the analysis reads is that deep. */
const MAX_DEPTH = 64;

// What a byte means inside a JSON string.
const PLAIN = 0;
const ENDS = 1; // " or \ or a control character (invalid unescaped, and the line end stops the scan)
const HIGH = 2; // part of a multi-byte UTF-8 character
const IN_STRING = new Uint8Array(256);
for (let c = 0; c < 256; c++) IN_STRING[c] = c < 32 || c === QUOTE || c === BACKSLASH ? ENDS : c >= 128 ? HIGH : PLAIN;

const IS_WHITESPACE = new Uint8Array(256);
for (const c of [32, 9, 10, 13]) IS_WHITESPACE[c] = 1;

const IS_HEX = new Uint8Array(256);
for (let c = 0; c < 256; c++) IS_HEX[c] = (c >= ZERO && c <= NINE) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) ? 1 : 0;

/** After `\`: the characters JSON allows, u aside: " \ / b f n r t. */
const SIMPLE_ESCAPE = new Uint8Array(256);
for (const c of '"\\/bfnrt') SIMPLE_ESCAPE[c.charCodeAt(0)] = 1;

function skipWhitespace(bytes: Uint8Array, i: number, end: number): number {
  while (i < end && IS_WHITESPACE[bytes[i]!] === 1) i++;
  return i;
}

/** Set by {@link skipString}: the string it skipped had an escape / a non-ASCII character. */
let escaped = false;
let nonAscii = false;

/** From an opening quote to just past the closing one, or -1 if the string is not valid JSON. */
function skipString(bytes: Uint8Array, i: number, end: number): number {
  escaped = false;
  nonAscii = false;
  let j = i + 1;
  for (;;) {
    // The byte at `end` is a line end or past the array: it stops this loop too.
    while (IN_STRING[bytes[j]!] === PLAIN) j++;
    if (j >= end) return -1;
    const c = bytes[j]!;
    if (c === QUOTE) return j + 1;
    if (c === BACKSLASH) {
      escaped = true;
      const next = bytes[j + 1]!;
      if (next === 117 /* u */) {
        if (j + 5 >= end) return -1;
        if ((IS_HEX[bytes[j + 2]!]! & IS_HEX[bytes[j + 3]!]! & IS_HEX[bytes[j + 4]!]! & IS_HEX[bytes[j + 5]!]!) === 0) return -1;
        j += 6;
      } else if (j + 1 < end && SIMPLE_ESCAPE[next] === 1) {
        j += 2;
      } else {
        return -1;
      }
    } else if (c >= 128) {
      nonAscii = true;
      j++;
    } else {
      return -1; // a control character
    }
  }
}

const TRUE = Uint8Array.from([116, 114, 117, 101]);
const FALSE = Uint8Array.from([102, 97, 108, 115, 101]);
const NULL = Uint8Array.from([110, 117, 108, 108]);

/** Past `word` at i, or -1. */
const skipWord = (bytes: Uint8Array, i: number, word: Uint8Array): number => (bytesEqual(bytes, i, word) ? i + word.length : -1);

/** Past any JSON value starting at i (not whitespace), or -1 if it is not valid or nested too deep. */
function skipValue(bytes: Uint8Array, i: number, end: number, depth: number): number {
  const c = bytes[i];
  switch (c) {
    case QUOTE:
      return skipString(bytes, i, end);
    case OPEN_BRACE:
      return skipObject(bytes, i, end, depth, undefined);
    case OPEN_BRACKET: {
      if (depth >= MAX_DEPTH) return -1;
      i = skipWhitespace(bytes, i + 1, end);
      if (bytes[i] === CLOSE_BRACKET) return i + 1;
      for (;;) {
        i = skipValue(bytes, i, end, depth + 1);
        if (i < 0) return -1;
        i = skipWhitespace(bytes, i, end);
        const next = bytes[i];
        if (next === CLOSE_BRACKET) return i + 1;
        if (next !== COMMA) return -1;
        i = skipWhitespace(bytes, i + 1, end);
      }
    }
    case 116 /* t */:
      return skipWord(bytes, i, TRUE);
    case 102 /* f */:
      return skipWord(bytes, i, FALSE);
    case 110 /* n */:
      return skipWord(bytes, i, NULL);
    default:
      return c === MINUS || isDigit(c) ? skipNumber(bytes, i) : -1;
  }
}

/**
 * Notes the kind and place of the value `i` is at in `table` (past it, or -1). A field already
 * noted, or an object or array, declines the line (-1 too): the caller cannot tell those from
 * invalid JSON, and JSON.parse decides.
 */
function noteValue(bytes: Uint8Array, i: number, end: number, table: FieldTable, field: number): number {
  if (table.kind[field] !== FieldKind.Absent) return -1;
  const c = bytes[i];
  let after: number;
  let kind: FieldKind;
  if (c === QUOTE) {
    after = skipString(bytes, i, end);
    kind = escaped || nonAscii ? FieldKind.OtherString : FieldKind.Text;
    table.start[field] = i + 1;
    table.end[field] = after - 1;
  } else {
    if (c === MINUS || isDigit(c)) {
      after = skipNumber(bytes, i);
      kind = FieldKind.Number;
    } else if (c === 110 /* n */) {
      after = skipWord(bytes, i, NULL);
      kind = FieldKind.Null;
    } else if (c === 116 /* t */ || c === 102 /* f */) {
      after = skipWord(bytes, i, c === 116 ? TRUE : FALSE);
      kind = FieldKind.Boolean;
    } else {
      return -1;
    }
    table.start[field] = i;
    table.end[field] = after;
  }
  if (after < 0) return -1;
  table.kind[field] = kind;
  return after;
}

/**
 * Past the object opening at i (at nesting `depth`), or -1. With a table, it notes the fields up
 * to `table.lastField` among its keys there (a `properties` or `event_properties` object in its
 * own table), and declines an escaped key, which could be one of them. One loop for the line
 * itself, its properties objects and any other object, so they follow the same grammar.
 */
function skipObject(bytes: Uint8Array, i: number, end: number, depth: number, table: FieldTable | undefined): number {
  if (depth >= MAX_DEPTH) return -1;
  i = skipWhitespace(bytes, i + 1, end);
  if (bytes[i] === CLOSE_BRACE) return i + 1;
  for (;;) {
    if (bytes[i] !== QUOTE) return -1;
    const keyStart = i + 1;
    i = skipString(bytes, i, end);
    if (i < 0) return -1;
    let field = OTHER;
    if (table !== undefined) {
      if (escaped) return -1;
      field = fieldOf(bytes, keyStart, i - 1 - keyStart);
    }
    i = skipWhitespace(bytes, i, end);
    if (bytes[i] !== COLON) return -1;
    i = skipWhitespace(bytes, i + 1, end);
    if (field === OTHER || field > table!.lastField) i = skipValue(bytes, i, end, depth + 1);
    else if (field >= Field.properties && bytes[i] === OPEN_BRACE) i = noteProperties(bytes, i, end, depth + 1, table!, field);
    else i = noteValue(bytes, i, end, table!, field);
    if (i < 0) return -1;
    i = skipWhitespace(bytes, i, end);
    const next = bytes[i];
    if (next === CLOSE_BRACE) return i + 1;
    if (next !== COMMA) return -1;
    i = skipWhitespace(bytes, i + 1, end);
  }
}

/** Notes the line's `properties` or `event_properties` object at i, and its fields in its table; past it, or -1. */
function noteProperties(bytes: Uint8Array, i: number, end: number, depth: number, line: FieldTable, field: number): number {
  if (line.kind[field] !== FieldKind.Absent) return -1;
  const table = field === Field.properties ? line.properties! : line.eventProperties!;
  table.clear();
  line.kind[field] = FieldKind.Object;
  line.start[field] = i;
  return skipObject(bytes, i, end, depth, table);
}

/**
 * Validates the JSON object in bytes[start, end) and notes its fields (see {@link Field}) in
 * `fields`; false when it is not valid JSON or not one the scanner follows (see the top of this
 * file). `bytes[end]`, if there is one, must be a line end (`\n` or `\r`); the line is declined
 * otherwise.
 *
 * @example
 * ```ts
 * const bytes = Buffer.from('{"event":"x","userId":"u1","timestamp":"2025-06-02T08:00:00.000Z"}');
 * const fields = new LineFields();
 * scanLineFields(bytes, 0, bytes.length, fields); // true
 * bytes.toString('latin1', fields.line.start[Field.userId], fields.line.end[Field.userId]); // 'u1'
 * ```
 */
export function scanLineFields(bytes: Uint8Array, start: number, end: number, fields: LineFields): boolean {
  fields.line.clear();
  if (end < bytes.length && bytes[end] !== 10 && bytes[end] !== 13) return false;
  const i = skipWhitespace(bytes, start, end);
  if (bytes[i] !== OPEN_BRACE) return false;
  const after = skipObject(bytes, i, end, 0, fields.line);
  return after >= 0 && skipWhitespace(bytes, after, end) === end;
}
