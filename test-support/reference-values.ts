import { readFileSync } from 'node:fs';

/** A package's SciPy reference values: the JSON its fixtures/make_reference.py writes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function readReference(file: URL): any {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** |actual − expected| within a relative tolerance (absolute near 0). */
export function closeTo(actual: number, expected: number, relative = 1e-12, absolute = 1e-300): boolean {
  return Math.abs(actual - expected) <= Math.max(absolute, relative * Math.abs(expected));
}
