// Timestamps as exports write them: ISO 8601 (Segment, Bucketry), "YYYY-MM-DD HH:MM:SS.ffffff"
// in UTC (Amplitude), or epoch numbers.

/** The digit at bytes[i]; 10 or more when the byte is not a digit. */
const digitAt = (bytes: Uint8Array, i: number): number => (bytes[i]! - 48) >>> 0;

/** The number in `length` digits at `at`, or -1 if any is not a digit. */
function digitsAt(bytes: Uint8Array, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const digit = digitAt(bytes, i);
    if (digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (month 1–12). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The fixed-width forms exports write, by arithmetic on the bytes, several times faster than
 * Date.parse: `YYYY-MM-DD?HH:MM:SS` with `T` or a space, then optionally `.sss` or `.ssssss`,
 * then optionally `Z` (no zone is UTC). NaN for anything else, which {@link parseTimestamp}'s
 * general parser then reads. On bytes so the line scanner can use it without making a string.
 *
 * @example
 * ```ts
 * parseFixedDateTime(Buffer.from('2025-06-02T08:00:00.000Z'), 0, 24); // 1748851200000
 * ```
 */
export function parseFixedDateTime(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  const zoned = bytes[end - 1] === 90; /* Z */
  const fractionDigits = length - (zoned ? 1 : 0) - 20;
  if (fractionDigits !== -1 && fractionDigits !== 3 && fractionDigits !== 6) return NaN;
  const separator = bytes[start + 10];
  if (bytes[start + 4] !== 45 || bytes[start + 7] !== 45 || (separator !== 84 && separator !== 32) || bytes[start + 13] !== 58) return NaN;
  if (bytes[start + 16] !== 58 || (fractionDigits > 0 && bytes[start + 19] !== 46)) return NaN;
  const days = dayNumberAt(bytes, start);
  if (Number.isNaN(days)) return NaN;
  const h1 = digitAt(bytes, start + 11);
  const h2 = digitAt(bytes, start + 12);
  const m1 = digitAt(bytes, start + 14);
  const m2 = digitAt(bytes, start + 15);
  const s1 = digitAt(bytes, start + 17);
  const s2 = digitAt(bytes, start + 18);
  if (h1 > 2 || h2 > 9 || m1 > 5 || m2 > 9 || s1 > 5 || s2 > 9) return NaN;
  const hour = h1 * 10 + h2;
  if (hour > 23) return NaN;
  let millis = 0;
  if (fractionDigits > 0) {
    const fraction = digitsAt(bytes, start + 20, fractionDigits);
    if (fraction < 0) return NaN;
    millis = fractionDigits === 6 ? fraction / 1000 : fraction;
  }
  return days * 86_400_000 + hour * 3_600_000 + (m1 * 10 + m2) * 60_000 + (s1 * 10 + s2) * 1000 + millis;
}

// Exports are in time order, so consecutive timestamps nearly always share their date.
const lastDate = new Uint8Array(10);
let lastDayNumber = NaN;

/** Days since 1970-01-01 of the `YYYY-MM-DD` at bytes[start], NaN if it is no valid date. */
function dayNumberAt(bytes: Uint8Array, start: number): number {
  let same = !Number.isNaN(lastDayNumber);
  for (let k = 0; k < 10 && same; k++) same = bytes[start + k] === lastDate[k];
  if (same) return lastDayNumber;
  const year = digitsAt(bytes, start, 4);
  const month = digitsAt(bytes, start + 5, 2);
  const day = digitsAt(bytes, start + 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return NaN;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return NaN;
  for (let k = 0; k < 10; k++) lastDate[k] = bytes[start + k]!;
  lastDayNumber = daysFromCivil(year, month, day);
  return lastDayNumber;
}

/** Shortest and longest text {@link parseFixedDateTime} reads. */
const FIXED_MIN_LENGTH = 19;
const FIXED_MAX_LENGTH = 27;
/** A string's characters as bytes, for parseFixedDateTime (reused). */
const scratch = new Uint8Array(FIXED_MAX_LENGTH);

const ISO_LIKE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Epoch numbers below this are seconds, above it milliseconds (10¹¹ ms is March 1973). */
const SECONDS_LIMIT = 1e11;

/**
 * Milliseconds since the epoch, or NaN when the value is not a timestamp. A date-time without an
 * offset is UTC (Amplitude's `event_time` has none); numbers are epoch milliseconds, or seconds
 * when below 10¹¹.
 *
 * @example
 * ```ts
 * parseTimestamp('2025-06-02T08:00:00.000Z');   // 1748851200000
 * parseTimestamp('2025-06-02 08:00:00.000000'); // 1748851200000 (Amplitude, UTC)
 * parseTimestamp(1748851200);                   // 1748851200000 (seconds)
 * ```
 */
export function parseTimestamp(value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return NaN;
    return value < SECONDS_LIMIT ? value * 1000 : value;
  }
  if (typeof value !== 'string') return NaN;
  // The common cases (toISOString() output, Amplitude's event_time) by arithmetic.
  if (value.length >= FIXED_MIN_LENGTH && value.length <= FIXED_MAX_LENGTH) {
    // A character above 255 cannot be part of the fixed forms; its low byte cannot pass for one either.
    for (let i = 0; i < value.length; i++) scratch[i] = Math.min(value.charCodeAt(i), 255);
    const time = parseFixedDateTime(scratch, 0, value.length);
    if (!Number.isNaN(time)) return time;
  }
  const match = ISO_LIKE.exec(value);
  if (match === null) return NaN;
  const [, y, mo, d, h, mi, s = '0', fraction = '', zone = 'Z'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return NaN;
  const ms = fraction === '' ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3)) + Number('0.' + fraction.slice(3).padEnd(1, '0'));
  let time = Date.UTC(year, month - 1, day, hour, minute, second) + ms;
  // Day 31 of a 30-day month rolls over in Date.UTC; refuse it instead.
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return NaN;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2)) : 0);
    time -= sign * offsetMinutes * 60_000;
  }
  return time;
}
