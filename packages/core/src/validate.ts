import { BUCKETS_PER_PERCENT } from './bucket.js';
import { ExperimentConfigError } from './errors.js';

/** Throws the error naming the field, the value and the rule unless `ok`. */
export function check(ok: unknown, field: string, value: unknown, rule: string): void {
  if (!ok) throw new ExperimentConfigError(field, value, rule);
}

/** A percentage as a whole number of buckets, refusing what the bucket grid cannot hold. */
export function percentToBuckets(field: string, value: unknown): number {
  const buckets = (value as number) * BUCKETS_PER_PERCENT;
  check(typeof value === 'number' && value >= 0 && value <= 100, field, value, 'must be a number from 0 to 100');
  check(Math.abs(buckets - Math.round(buckets)) < 1e-6, field, value, 'must have at most 4 decimals (the grid is 0.0001%)');
  return Math.round(buckets);
}

const NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** Keys and names: they reach header and cookie names, so only safe characters pass. */
export const checkName = (field: string, value: unknown): string => {
  check(typeof value === 'string' && NAME.test(value), field, value, `must match ${NAME}`);
  return value as string;
};

export const checkText = (field: string, value: unknown): string => {
  check(typeof value === 'string' && value, field, value, 'must be a non-empty string');
  return value as string;
};

/** An optional text field: `undefined` when absent, else it must be a non-empty string. */
export const checkOptionalText = (field: string, value: unknown): string | undefined =>
  value === undefined ? value : checkText(field, value);

export const checkObject = (field: string, value: unknown, shape: string): void =>
  check(typeof value === 'object' && value !== null, field, value, `must be ${shape}`);
