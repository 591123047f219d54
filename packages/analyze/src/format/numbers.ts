// How numbers read in reports and messages.

/** 12345 → "12,345". */
export const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** 0.1234 → "12.34%"; `signed` adds "+" to positives. */
export function percent(fraction: number, digits = 2, signed = false): string {
  if (!Number.isFinite(fraction)) return fraction > 0 ? '∞' : fraction < 0 ? '−∞' : 'n/a';
  const text = `${(fraction * 100).toFixed(digits)}%`;
  return signed && fraction > 0 ? `+${text}` : text.replace('-', '−');
}

/**
 * A p-value with enough digits to read: 4 decimals, 3 significant digits below 1e-4, and
 * "< 1e-300" below that, where the tail functions promise no digits (and doubles lose them).
 */
export function pValue(p: number): string {
  if (p < 1e-300) return '< 1e-300';
  if (p < 1e-4) return p.toExponential(2);
  return p.toFixed(4);
}

// Text and HTML write a negative number with the minus sign U+2212 (−), as percent() always
// did; JSON keeps its numbers, with "-". "-8.34 pts" beside "−21.6%" read as two kinds of minus.
const minus = (text: string): string => (text.startsWith('-') ? `−${text.slice(1)}` : text);

/** A number with up to `digits` decimals, trailing zeros dropped; a negative one with "−". */
export const decimal = (n: number, digits = 2): string => (Number.isFinite(n) ? minus(String(+n.toFixed(digits))) : n > 0 ? '∞' : n < 0 ? '−∞' : 'n/a');

/** Decimals enough for a number of any size, for {@link decimal}: 1,377.7, 41.19, 0.0183. */
export const decimalsFor = (n: number): number => (Math.abs(n) >= 100 ? 1 : Math.abs(n) >= 1 ? 2 : 4);

/** A difference of proportions in percentage points, signed, 2 decimals: 0.067 → "+6.70", −0.0834 → "−8.34". */
export const signedPoints = (fraction: number): string => minus(`${fraction > 0 ? '+' : ''}${(fraction * 100).toFixed(2)}`);

/** Milliseconds as "812 ms" or "5.2 s". */
export const millis = (ms: number): string => (ms >= 1000 ? `${decimal(ms / 1000, 2)} s` : `${decimal(ms, 1)} ms`);

/** 1 → "1 unit", 12345 → "12,345 units". */
export const counted = (n: number, singular: string, plural = `${singular}s`): string => `${count(n)} ${n === 1 ? singular : plural}`;

/** `show` of a difference's size, signed: +, − or neither for 0 (e.g. `signed(millis)(-812)` is `−812.0 ms`). */
export const signed =
  (show: (n: number) => string) =>
  (n: number): string =>
    `${n > 0 ? '+' : n < 0 ? '−' : ''}${show(Math.abs(n))}`;

/** A measure the report could not compute (null) as an em dash, else as `show` writes it. */
export const orDash = (value: number | null, show: (n: number) => string): string => (value === null ? '—' : show(value));
