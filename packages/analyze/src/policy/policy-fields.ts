// Checking the fields of a policy file: each failure names the field, the value and the rule.

/**
 * A policy that breaks a rule; the message names the field, the value and the rule.
 *
 * @example
 * ```ts
 * validatePolicy({ weights: [-1, 2] }); // throws PolicyError: weights[0] is -1, must be a number >= 0
 * ```
 */
export class PolicyError extends Error {
  override name = 'PolicyError';
}

export const show = (value: unknown): string => (value === undefined ? 'missing' : JSON.stringify(value) ?? String(value));

export type Fields = Record<string, unknown>;

export function fail(field: string, value: unknown, rule: string): never {
  throw new PolicyError(`${field} is ${show(value)}, ${rule}`);
}

export function checkKeys(field: string, record: Fields, allowed: readonly string[]): void {
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) throw new PolicyError(`${field ? field + '.' : ''}${key} is not a known field (known: ${allowed.join(', ')})`);
  }
}

export function object(field: string, value: unknown): Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(field, value, 'must be an object');
  return value as Fields;
}

export function name(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) fail(field, value, 'must be a non-empty string');
  return value;
}

export function fraction(field: string, value: unknown, rule = 'must be a number from 0 to 1 (0.05 is 5%)'): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) fail(field, value, rule);
  return value;
}

export function positive(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(field, value, 'must be a number >= 0');
  return value;
}

export function finite(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(field, value, 'must be a number');
  return value;
}

/** The words a field may be, as its error lists them: `"a", "b" or "c"`. */
export const choices = (words: readonly string[]): string => `${words.slice(0, -1).map((w) => JSON.stringify(w)).join(', ')} or ${JSON.stringify(words.at(-1))}`;

export function oneOf<const T extends string>(field: string, value: unknown, words: readonly T[]): T {
  if (!(words as readonly unknown[]).includes(value)) fail(field, value, `must be ${choices(words)}`);
  return value as T;
}
