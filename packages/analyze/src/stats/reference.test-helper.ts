import { readFileSync } from 'node:fs';

/** The SciPy reference values written by fixtures/make_reference.py. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const reference: any = JSON.parse(readFileSync(new URL('../../fixtures/reference.json', import.meta.url), 'utf8'));

/** |actual − expected| within a relative tolerance (absolute near 0). */
export function closeTo(actual: number, expected: number, relative = 1e-12, absolute = 1e-300): boolean {
  return Math.abs(actual - expected) <= Math.max(absolute, relative * Math.abs(expected));
}
