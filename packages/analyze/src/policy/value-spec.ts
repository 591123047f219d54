// Numeric properties of events as policies and the command line name them: `{ event, property }`, or `<event>.<property>`.
import { checkKeys, name, object, PolicyError } from './policy-fields.js';

/**
 * A numeric property of an event, summed per unit; without `property`, the unit's count of the
 * event.
 *
 * @example
 * ```ts
 * const cost: ValueSpec = { event: 'llm_call', property: 'cost_usd' };
 * const calls: ValueSpec = { event: 'llm_call' };
 * ```
 */
export interface ValueSpec {
  readonly event: string;
  readonly property?: string;
}

/**
 * A ratio of two per-unit sums over the units of a variant (Σ numerator / Σ denominator), such as
 * cache hits per lookup, with a delta-method interval.
 *
 * @example
 * ```ts
 * const hitRate: RatioSpec = { numerator: { event: 'cache_lookup', property: 'hit' }, denominator: { event: 'cache_lookup' } };
 * ```
 */
export interface RatioSpec {
  readonly numerator: ValueSpec;
  readonly denominator: ValueSpec;
}

/** Checks a {@link ValueSpec}; throws {@link PolicyError} naming `field`. */
export function validateValueSpec(value: unknown, field: string): ValueSpec {
  const v = object(field, value);
  checkKeys(field, v, ['event', 'property']);
  const event = name(`${field}.event`, v.event);
  return v.property === undefined ? { event } : { event, property: name(`${field}.property`, v.property) };
}

/**
 * `<event>.<property>` as a {@link ValueSpec}, split at the last dot (event names have dots more
 * often than property names). With `allowCount`, `<event>` alone (no dot) is the unit's count of
 * the event.
 *
 * @example
 * ```ts
 * parseValueSpec('llm_call.cost_usd'); // { event: 'llm_call', property: 'cost_usd' }
 * parseValueSpec('cache_lookup', true); // { event: 'cache_lookup' }
 * ```
 */
export function parseValueSpec(text: string, allowCount = false): ValueSpec {
  const dot = text.lastIndexOf('.');
  if (dot < 0) {
    if (allowCount && text !== '') return { event: text };
    throw new PolicyError(`"${text}" names no property: write <event>.<property>, e.g. llm_call.cost_usd`);
  }
  const event = text.slice(0, dot);
  const property = text.slice(dot + 1);
  if (event === '' || property === '') throw new PolicyError(`"${text}" must be <event>.<property>, e.g. llm_call.cost_usd`);
  return { event, property };
}

/**
 * `<event>.<property>/<event>[.<property>]` as a {@link RatioSpec}: the numerator's per-unit sum
 * over the denominator's (a property's sum, or the count of the event).
 *
 * @example
 * ```ts
 * parseRatioSpec('cache_lookup.hit/cache_lookup'); // hits per lookup
 * ```
 */
export function parseRatioSpec(text: string): RatioSpec {
  const parts = text.split('/');
  if (parts.length !== 2) throw new PolicyError(`"${text}" must be <event>.<property>/<event>[.<property>], e.g. cache_lookup.hit/cache_lookup`);
  return { numerator: parseValueSpec(parts[0]!, true), denominator: parseValueSpec(parts[1]!, true) };
}

/** `event.property`, or `event` (count) without a property (absent, or null as in a report): how reports name a series. */
export const valueLabel = (spec: { readonly event: string; readonly property?: string | null }): string => (spec.property === undefined || spec.property === null ? `${spec.event} (count)` : `${spec.event}.${spec.property}`);
