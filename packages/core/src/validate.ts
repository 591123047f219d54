import { BUCKETS_PER_PERCENT } from './bucket.js';
import { ExperimentConfigError, check } from './errors.js';

// The one check(ok, field, value, rule) lives in errors.ts; the modules that validate configs import it from here.
export { check };

/**
 * A percentage as a whole number of buckets, refusing what the bucket grid cannot hold: more
 * than 10^-6 of a bucket off it (docs/spec.md §4.2; exactly 10^-6 is still on it).
 */
export function percentToBuckets(field: string, value: unknown): number {
  // Checked before any arithmetic: a BigInt (10n) would throw a TypeError there.
  check(typeof value === 'number' && value >= 0 && value <= 100, field, value, 'must be a number from 0 to 100');
  const buckets = (value as number) * BUCKETS_PER_PERCENT;
  check(Math.abs(buckets - Math.round(buckets)) <= 1e-6, field, value, 'must have at most 4 decimals (the grid is 0.0001%)');
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

/** An optional text field: `undefined` when absent, else it must be a non-empty string (null included). */
export const checkOptionalText = (field: string, value: unknown): string | undefined =>
  value === undefined ? value : checkText(field, value);

/**
 * A map (docs/spec.md §3.1): an ordinary object, from any realm. Arrays, boxed strings, dates,
 * `Map`s, `Set`s and other built-in objects are not maps, and neither are null and functions.
 */
export const isMap = (value: unknown): value is Readonly<Record<string, unknown>> =>
  Object.prototype.toString.call(value) === '[object Object]';

export const checkObject = (field: string, value: unknown, shape: string): void => check(isMap(value), field, value, `must be ${shape}`);

/**
 * The path of a field inside `parent` (docs/spec.md §5.1): `parent.name` when the name looks like
 * an identifier, else `parent["name"]`, so `a.b` or `na"me` can never read as another path.
 */
export const fieldPath = (parent: string, name: string): string =>
  /^[A-Za-z_$][\w$]*$/.test(name) ? (parent && parent + '.') + name : `${parent}[${JSON.stringify(name)}]`;

/**
 * Refuses the fields left over once the known ones are taken out (`const { key, ...unknown } = config`),
 * naming the first by its path: a typo such as `rolout` is never ignored.
 */
export const checkUnknown = (parent: string, unknown: Readonly<Record<string, unknown>>): void => {
  for (const name of Object.keys(unknown)) check(0, fieldPath(parent, name), unknown[name], 'is not a known field');
};

const NOT_JSON = 'must be JSON (no cycle, no BigInt) to derive the version from, or give a version';

/**
 * A configuration as JSON text, for its derived version. JSON.stringify throws on a cycle, a
 * BigInt, or a toJSON that throws, in fields no other rule looks at (an extra field of a config
 * written in code, a predicate's toJSON); the error then names the first such field.
 */
export function configText(config: object): string {
  try {
    return JSON.stringify(config);
  } catch {
    for (const [field, value] of Object.entries(config)) {
      try {
        JSON.stringify(value);
      } catch {
        check(0, field, value, NOT_JSON);
      }
    }
    throw new ExperimentConfigError('config', config, NOT_JSON);
  }
}
