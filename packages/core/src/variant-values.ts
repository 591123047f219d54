import { check, checkObject, configText } from './validate.js';

/**
 * What a variant may carry besides its name (docs/spec.md §5.7): JSON data, such as a layout's
 * settings or a flag's `true`. Values never change who gets which variant.
 *
 * @example
 * ```ts
 * const value: VariantValue = { layout: 'tree', columns: 3 };
 * ```
 */
export type VariantValue = string | number | boolean | null | readonly VariantValue[] | { readonly [field: string]: VariantValue };

const freeze = (_: string, value: unknown): unknown => (typeof value === 'object' && value !== null ? Object.freeze(value) : value);

/**
 * Checks an experiment's `values`: a map with exactly one value per variant, or none at all, of
 * at most 65,536 characters as JSON (docs/spec.md §5.6). Values are kept as their JSON, the way a
 * configuration file holds them (a frozen copy): what JSON cannot hold is refused (a cycle, a
 * BigInt) or becomes what JSON makes of it (`NaN` is `null`, an `undefined` or a function no
 * value). Small on purpose: it is in every bundle with defineExperiment (bundle-size.test.ts),
 * and experimentFromJSON has already held a file to the limits of §5.6.
 * @internal
 */
export function readVariantValues(values: unknown, variants: readonly string[]): Readonly<Record<string, VariantValue>> | undefined {
  if (values === undefined) return undefined;
  checkObject('values', values, 'an object with a value per variant');
  const text = configText({ values });
  const copy = (JSON.parse(text, freeze) as { values: Record<string, VariantValue> }).values;
  // The first variant without a value, else the first name that is no variant, else too long.
  const odd = variants.find((name) => !Object.hasOwn(copy, name)) ?? Object.keys(copy).find((name) => !variants.includes(name)) ?? (text.length > 65_547 ? '' : undefined);
  check(odd === undefined, 'values', values, `must give each variant one value and name only variants, in at most 65536 characters of JSON (${JSON.stringify(odd)} breaks it)`);
  return copy;
}
