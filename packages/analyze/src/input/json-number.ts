// JSON numbers on a line's bytes: where one ends (for the scanner), and its value (for the classifier).

const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

export const isDigit = (c: number | undefined): boolean => c !== undefined && c >= ZERO && c <= NINE;

/** Past a JSON number, or -1. */
export function skipNumber(bytes: Uint8Array, i: number): number {
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

/** The JSON number bytes[start, end), as JSON.parse reads it. */
export function numberAt(bytes: Uint8Array, text: string, start: number, end: number): number {
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
