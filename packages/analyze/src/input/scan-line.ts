// A JSON scanner for export lines: it validates the whole line on its bytes and keeps only the
// fields the analysis reads, without building the objects JSON.parse would, at a fraction of the
// cost. It declines (returns false) whenever a line is invalid or unusual: an escape in a key or in
// a value it keeps, a non-ASCII value it keeps, an object or array where it keeps a plain value, a
// repeated `properties`, deep nesting. The caller then parses the line with JSON.parse and gets the
// same result, with JSON.parse's own error message.

import { parseFixedDateTime } from './timestamp.js';

/** The property fields the analysis reads, from `properties`, `event_properties` or a Bucketry line itself. */
export class ScannedProperties {
  experiment: unknown = undefined;
  variant: unknown = undefined;
  configVersion: unknown = undefined;
  flag_key: unknown = undefined;
  duration_ms: unknown = undefined;
  latency_ms: unknown = undefined;

  clear(): void {
    this.experiment = undefined;
    this.variant = undefined;
    this.configVersion = undefined;
    this.flag_key = undefined;
    this.duration_ms = undefined;
    this.latency_ms = undefined;
  }
}

/**
 * The top-level fields of one export line that `readExportEventInto` reads, as JSON.parse would
 * give them (absent is undefined); every other field is validated and dropped. Reused line to line.
 *
 * @example
 * ```ts
 * const line = new ScannedLine();
 * if (scanExportLine(bytes, text, 0, bytes.length, line, knownNames)) readExportEventInto(line, event);
 * ```
 */
export class ScannedLine extends ScannedProperties {
  event: unknown = undefined;
  event_type: unknown = undefined;
  userId: unknown = undefined;
  anonymousId: unknown = undefined;
  user_id: unknown = undefined;
  device_id: unknown = undefined;
  unit: unknown = undefined;
  timestamp: unknown = undefined;
  originalTimestamp: unknown = undefined;
  event_time: unknown = undefined;
  time: unknown = undefined;
  properties: ScannedProperties | null | undefined = undefined;
  event_properties: ScannedProperties | null | undefined = undefined;
  /** Where the unit fields' string values start in the bytes (-1: not a string). */
  userIdAt = -1;
  anonymousIdAt = -1;
  user_idAt = -1;
  device_idAt = -1;
  unitAt = -1;
  /** The time fields read from the bytes by parseFixedDateTime; NaN when that could not. */
  timestampMs = NaN;
  originalTimestampMs = NaN;
  event_timeMs = NaN;
  timeMs = NaN;
  /** What `properties` points to when the line has a `properties` object. */
  readonly segmentProperties = new ScannedProperties();
  /** What `event_properties` points to when the line has an `event_properties` object. */
  readonly amplitudeProperties = new ScannedProperties();

  override clear(): void {
    super.clear();
    this.event = undefined;
    this.event_type = undefined;
    this.userId = undefined;
    this.anonymousId = undefined;
    this.user_id = undefined;
    this.device_id = undefined;
    this.unit = undefined;
    this.timestamp = undefined;
    this.originalTimestamp = undefined;
    this.event_time = undefined;
    this.time = undefined;
    this.properties = undefined;
    this.event_properties = undefined;
    this.userIdAt = -1;
    this.anonymousIdAt = -1;
    this.user_idAt = -1;
    this.device_idAt = -1;
    this.unitAt = -1;
    this.timestampMs = NaN;
    this.originalTimestampMs = NaN;
    this.event_timeMs = NaN;
    this.timeMs = NaN;
  }

  /**
   * Where in the bytes the unit id `unit` (a string this line gave as one of its unit fields)
   * starts, or -1. The scanner keeps ASCII values only, so the id is its `unit.length` bytes there.
   */
  unitBytesAt(unit: string): number {
    if (unit === this.userId) return this.userIdAt;
    if (unit === this.anonymousId) return this.anonymousIdAt;
    if (unit === this.user_id) return this.user_idAt;
    if (unit === this.device_id) return this.device_idAt;
    if (unit === this.unit) return this.unitAt;
    return -1;
  }

  /**
   * What parseTimestamp gives for the time field `field`, when the scanner already read it from
   * the bytes (the fixed-width forms); NaN when it did not, and parseTimestamp has to.
   */
  parsedTime(field: 'timestamp' | 'originalTimestamp' | 'event_time' | 'time'): number {
    switch (field) {
      case 'timestamp':
        return this.timestampMs;
      case 'originalTimestamp':
        return this.originalTimestampMs;
      case 'event_time':
        return this.event_timeMs;
      default:
        return this.timeMs;
    }
  }
}

/**
 * Strings the scanner hands back as these very strings instead of new slices (event, experiment
 * and variant names): no allocation, and comparisons and Map lookups on them are cheaper.
 *
 * @example
 * ```ts
 * const known = new KnownNames(['experiment_exposure', 'skill_tree_layout', 'tree', 'list']);
 * ```
 */
export class KnownNames {
  readonly names: readonly string[];
  readonly bytes: readonly Uint8Array[];

  constructor(names: Iterable<string>) {
    // Only ASCII names: the scanner declines non-ASCII values before comparing.
    this.names = [...new Set(names)].filter((name) => /^[\x20-\x7e]*$/.test(name) && !/["\\]/.test(name));
    this.bytes = this.names.map((name) => Uint8Array.from(name, (c) => c.charCodeAt(0)));
  }
}

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const MINUS = 45;
const DOT = 46;
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

// Field ids. Property fields come first so one comparison tells them apart.
const OTHER = 0;
const EXPERIMENT = 1;
const VARIANT = 2;
const CONFIG_VERSION = 3;
const FLAG_KEY = 4;
const DURATION_MS = 5;
const LATENCY_MS = 6;
const LAST_PROPERTY_FIELD = LATENCY_MS;
const EVENT = 7;
const EVENT_TYPE = 8;
const USER_ID_SEGMENT = 9;
const ANONYMOUS_ID = 10;
const USER_ID_AMPLITUDE = 11;
const DEVICE_ID = 12;
const UNIT = 13;
const TIMESTAMP = 14;
const ORIGINAL_TIMESTAMP = 15;
const EVENT_TIME = 16;
const TIME = 17;
const PROPERTIES = 18;
const EVENT_PROPERTIES = 19;

const FIELD_NAMES: readonly (readonly [number, string])[] = [
  [EXPERIMENT, 'experiment'],
  [VARIANT, 'variant'],
  [CONFIG_VERSION, 'configVersion'],
  [FLAG_KEY, 'flag_key'],
  [DURATION_MS, 'duration_ms'],
  [LATENCY_MS, 'latency_ms'],
  [EVENT, 'event'],
  [EVENT_TYPE, 'event_type'],
  [USER_ID_SEGMENT, 'userId'],
  [ANONYMOUS_ID, 'anonymousId'],
  [USER_ID_AMPLITUDE, 'user_id'],
  [DEVICE_ID, 'device_id'],
  [UNIT, 'unit'],
  [TIMESTAMP, 'timestamp'],
  [ORIGINAL_TIMESTAMP, 'originalTimestamp'],
  [EVENT_TIME, 'event_time'],
  [TIME, 'time'],
  [PROPERTIES, 'properties'],
  [EVENT_PROPERTIES, 'event_properties'],
];

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
function bytesEqual(bytes: Uint8Array, start: number, name: Uint8Array): boolean {
  for (let k = 0; k < name.length; k++) if (bytes[start + k] !== name[k]) return false;
  return true;
}

/** The field id of the key bytes[start, start + length): one table lookup and at most one comparison. */
function fieldOf(bytes: Uint8Array, start: number, length: number): number {
  if (length < 4) return OTHER;
  const id = FIELD_SLOTS[slotOfKey(length, bytes[start]!, bytes[start + 1]!, bytes[start + length - 2]!, bytes[start + length - 1]!)]!;
  if (id === OTHER) return OTHER;
  const name = FIELD_BYTES[id]!;
  return name.length === length && bytesEqual(bytes, start, name) ? id : OTHER;
}

function setProperty(target: ScannedProperties, field: number, value: unknown): void {
  switch (field) {
    case EXPERIMENT:
      target.experiment = value;
      break;
    case VARIANT:
      target.variant = value;
      break;
    case CONFIG_VERSION:
      target.configVersion = value;
      break;
    case FLAG_KEY:
      target.flag_key = value;
      break;
    case DURATION_MS:
      target.duration_ms = value;
      break;
    case LATENCY_MS:
      target.latency_ms = value;
      break;
  }
}

/**
 * `at`: where a string value starts in the bytes, for the unit fields; `time`: the value read as a
 * fixed-width date-time, for the time fields (NaN if it is none).
 */
function setField(target: ScannedLine, field: number, value: unknown, at: number, time: number): void {
  switch (field) {
    case EVENT:
      target.event = value;
      break;
    case EVENT_TYPE:
      target.event_type = value;
      break;
    case USER_ID_SEGMENT:
      target.userId = value;
      target.userIdAt = at;
      break;
    case ANONYMOUS_ID:
      target.anonymousId = value;
      target.anonymousIdAt = at;
      break;
    case USER_ID_AMPLITUDE:
      target.user_id = value;
      target.user_idAt = at;
      break;
    case DEVICE_ID:
      target.device_id = value;
      target.device_idAt = at;
      break;
    case UNIT:
      target.unit = value;
      target.unitAt = at;
      break;
    case TIMESTAMP:
      target.timestamp = value;
      target.timestampMs = time;
      break;
    case ORIGINAL_TIMESTAMP:
      target.originalTimestamp = value;
      target.originalTimestampMs = time;
      break;
    case EVENT_TIME:
      target.event_time = value;
      target.event_timeMs = time;
      break;
    case TIME:
      target.time = value;
      target.timeMs = time;
      break;
    default:
      setProperty(target, field, value);
  }
}

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

const isDigit = (c: number | undefined): boolean => c !== undefined && c >= ZERO && c <= NINE;

/** Past a JSON number, or -1. */
function skipNumber(bytes: Uint8Array, i: number): number {
  if (bytes[i] === MINUS) i++;
  const first = bytes[i];
  if (first === ZERO) i++;
  else if (first !== undefined && first > ZERO && first <= NINE) while (isDigit(bytes[++i]));
  else return -1;
  if (bytes[i] === DOT) {
    if (!isDigit(bytes[++i])) return -1;
    while (isDigit(bytes[++i]));
  }
  const e = bytes[i];
  if (e === 101 || e === 69) {
    const sign = bytes[++i];
    if (sign === 43 || sign === MINUS) i++;
    if (!isDigit(bytes[i])) return -1;
    while (isDigit(bytes[++i]));
  }
  return i;
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
    case OPEN_BRACE: {
      if (depth >= MAX_DEPTH) return -1;
      i = skipWhitespace(bytes, i + 1, end);
      if (bytes[i] === CLOSE_BRACE) return i + 1;
      for (;;) {
        if (bytes[i] !== QUOTE) return -1;
        i = skipString(bytes, i, end);
        if (i < 0) return -1;
        i = skipWhitespace(bytes, i, end);
        if (bytes[i] !== COLON) return -1;
        i = skipValue(bytes, skipWhitespace(bytes, i + 1, end), end, depth + 1);
        if (i < 0) return -1;
        i = skipWhitespace(bytes, i, end);
        const next = bytes[i];
        if (next === CLOSE_BRACE) return i + 1;
        if (next !== COMMA) return -1;
        i = skipWhitespace(bytes, i + 1, end);
      }
    }
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

/** The value {@link readScalar} read. */
let scalar: unknown;

/**
 * Reads an ASCII string without escapes, a number, true, false or null at i into {@link scalar};
 * returns the index past it, or -1 for anything else (an object, an array, an escape, invalid JSON).
 */
function readScalar(bytes: Uint8Array, text: string, i: number, end: number, known: KnownNames): number {
  const c = bytes[i];
  if (c === QUOTE) {
    const after = skipString(bytes, i, end);
    if (after < 0 || escaped || nonAscii) return -1;
    scalar = knownOrSlice(bytes, text, i + 1, after - 1, known);
    return after;
  }
  if (c === MINUS || isDigit(c)) {
    const after = skipNumber(bytes, i);
    if (after < 0) return -1;
    scalar = numberAt(bytes, text, i, after);
    return after;
  }
  if (c === 116) {
    scalar = true;
    return skipWord(bytes, i, TRUE);
  }
  if (c === 102) {
    scalar = false;
    return skipWord(bytes, i, FALSE);
  }
  if (c === 110) {
    scalar = null;
    return skipWord(bytes, i, NULL);
  }
  return -1;
}

/** The known name equal to bytes[start, end), or else text.slice(start, end). */
function knownOrSlice(bytes: Uint8Array, text: string, start: number, end: number, known: KnownNames): string {
  const length = end - start;
  const candidates = known.bytes;
  for (let k = 0; k < candidates.length; k++) {
    const candidate = candidates[k]!;
    if (candidate.length === length && bytesEqual(bytes, start, candidate)) return known.names[k]!;
  }
  return text.slice(start, end);
}

/** The JSON number bytes[start, end), as JSON.parse reads it. */
function numberAt(bytes: Uint8Array, text: string, start: number, end: number): number {
  // Non-negative integers of up to 15 digits are exact by arithmetic; the rest go through Number.
  if (end - start > 15) return Number(text.slice(start, end));
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = bytes[i]! - ZERO;
    if (digit < 0 || digit > 9) return Number(text.slice(start, end));
    value = value * 10 + digit;
  }
  return value;
}

/** Reads the members of the object opening at i into `target`; past it, or -1. */
function scanProperties(bytes: Uint8Array, text: string, i: number, end: number, target: ScannedProperties, known: KnownNames): number {
  target.clear();
  i = skipWhitespace(bytes, i + 1, end);
  if (bytes[i] === CLOSE_BRACE) return i + 1;
  for (;;) {
    if (bytes[i] !== QUOTE) return -1;
    const keyStart = i + 1;
    i = skipString(bytes, i, end);
    if (i < 0 || escaped) return -1;
    const field = fieldOf(bytes, keyStart, i - 1 - keyStart);
    i = skipWhitespace(bytes, i, end);
    if (bytes[i] !== COLON) return -1;
    i = skipWhitespace(bytes, i + 1, end);
    if (field !== OTHER && field <= LAST_PROPERTY_FIELD) {
      i = readScalar(bytes, text, i, end, known);
      if (i < 0) return -1;
      setProperty(target, field, scalar);
    } else {
      i = skipValue(bytes, i, end, 2);
      if (i < 0) return -1;
    }
    i = skipWhitespace(bytes, i, end);
    const next = bytes[i];
    if (next === CLOSE_BRACE) return i + 1;
    if (next !== COMMA) return -1;
    i = skipWhitespace(bytes, i + 1, end);
  }
}

/**
 * Scans the JSON object in bytes[start, end) into `line`: the fields `readExportEventInto` reads,
 * exactly as JSON.parse would give them. Returns false, with `line` in no useful state, when the
 * line is not valid JSON or is unusual (see the top of this file): parse it with JSON.parse then.
 *
 * `text` is `bytes` decoded as Latin-1 (one character per byte, so the offsets agree); values
 * are sliced from it, and a slice keeps all of `text` alive as long as it is referenced: keep a
 * {@link detachedCopy}. String values equal to one of `known` are that very string.
 * `bytes[end]`, if there is one, must be a line end (`\n` or `\r`); the line is declined otherwise.
 *
 * @example
 * ```ts
 * const bytes = Buffer.from('{"event":"x","userId":"u1","timestamp":1748851200000}');
 * const line = new ScannedLine();
 * scanExportLine(bytes, bytes.latin1Slice(), 0, bytes.length, line, new KnownNames(['x'])); // true
 * line.userId; // 'u1'
 * ```
 */
export function scanExportLine(bytes: Uint8Array, text: string, start: number, end: number, line: ScannedLine, known: KnownNames): boolean {
  line.clear();
  if (end < bytes.length && bytes[end] !== 10 && bytes[end] !== 13) return false;
  let i = skipWhitespace(bytes, start, end);
  if (bytes[i] !== OPEN_BRACE) return false;
  i = skipWhitespace(bytes, i + 1, end);
  if (bytes[i] === CLOSE_BRACE) return skipWhitespace(bytes, i + 1, end) === end;
  for (;;) {
    if (bytes[i] !== QUOTE) return false;
    const keyStart = i + 1;
    i = skipString(bytes, i, end);
    if (i < 0 || escaped) return false;
    const field = fieldOf(bytes, keyStart, i - 1 - keyStart);
    i = skipWhitespace(bytes, i, end);
    if (bytes[i] !== COLON) return false;
    i = skipWhitespace(bytes, i + 1, end);
    if (field === OTHER) {
      i = skipValue(bytes, i, end, 1);
    } else if (field === PROPERTIES || field === EVENT_PROPERTIES) {
      // A repeated one replaces the first as a whole; left to JSON.parse.
      if ((field === PROPERTIES ? line.properties : line.event_properties) !== undefined) return false;
      const c = bytes[i];
      let value: ScannedProperties | null;
      if (c === OPEN_BRACE) {
        value = field === PROPERTIES ? line.segmentProperties : line.amplitudeProperties;
        i = scanProperties(bytes, text, i, end, value, known);
      } else if (c === 110 /* n */) {
        value = null;
        i = skipWord(bytes, i, NULL);
      } else {
        return false; // not an object: JSON.parse's value goes into the error message
      }
      if (field === PROPERTIES) line.properties = value;
      else line.event_properties = value;
    } else {
      const valueStart = i;
      i = readScalar(bytes, text, i, end, known);
      if (i >= 0) {
        const isString = typeof scalar === 'string';
        const isTime = isString && field >= TIMESTAMP && field <= TIME;
        setField(line, field, scalar, isString ? valueStart + 1 : -1, isTime ? parseFixedDateTime(bytes, valueStart + 1, i - 1) : NaN);
      }
    }
    if (i < 0) return false;
    i = skipWhitespace(bytes, i, end);
    const next = bytes[i];
    if (next === CLOSE_BRACE) return skipWhitespace(bytes, i + 1, end) === end;
    if (next !== COMMA) return false;
    i = skipWhitespace(bytes, i + 1, end);
  }
}

/**
 * A copy of `text` that keeps no larger string alive. A slice (from {@link scanExportLine}, or
 * String#slice) points into the string it came from; kept as a Map key, it would keep a whole
 * read chunk in memory for every unit.
 *
 * @example
 * ```ts
 * units.set(detachedCopy(line.userId as string), row);
 * ```
 */
// Concatenating makes V8 build a new flat string; slicing that drops the added character.
export const detachedCopy = (text: string): string => (' ' + text).slice(1);
