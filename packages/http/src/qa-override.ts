import type { Experiment } from '@bucketry/core';
import { checkHttpToken } from './http-token.js';
import { invalidOption } from './option-error.js';

/**
 * QA overrides: force a variant for one request with a query parameter or a header, e.g.
 * `?bucketry_override=skill_tree_layout:list` or `X-Bucketry-Override: skill_tree_layout:list`
 * (several as `a:x,b:y`). Off unless `enabled` is `true`. Only known experiments and known
 * variants are accepted; anything else is ignored. Core decides with the override: a kill switch
 * (`enabled: false` or rollout 0) wins over it, and an overridden request (`reason: 'override'`)
 * is never exposed, so QA traffic never reaches the analysis.
 *
 * @example
 * ```ts
 * const qaOverrides: QaOverrideOptions<Request> = {
 *   enabled: process.env.NODE_ENV !== 'production',
 *   allow: (request) => staffTokenMatches(request.headers.get('x-staff-token'), process.env.STAFF_TOKEN),
 * };
 * ```
 */
export interface QaOverrideOptions<Req = never> {
  /** Default `false`. */
  readonly enabled?: boolean;
  /** The query parameter, or `false` for none. Default `bucketry_override`. */
  readonly query?: string | false;
  /** The request header, or `false` for none. Default `x-bucketry-override`. */
  readonly header?: string | false;
  /** Who may override; default everyone (once enabled). A throw counts as no. */
  readonly allow?: (req: Req) => boolean;
}

/**
 * How an adapter lets the override reader see its framework's request.
 *
 * @example
 * ```ts
 * const fromFetchRequest: QaOverrideSource<Request> = {
 *   header: (request, name) => request.headers.get(name),
 *   search: (request) => new URL(request.url).search,
 * };
 * ```
 */
export interface QaOverrideSource<Req> {
  /** The value(s) of a request header, by lowercase name. */
  header(req: Req, name: string): string | readonly string[] | null | undefined;
  /** The query string, with or without its leading `?`; empty when there is none. */
  search(req: Req): string;
}

/**
 * Reads the forced variants of one request: experiment key → variant, or `undefined` for none.
 *
 * @example
 * ```ts
 * const read: QaOverrideReader<Request> | undefined = createQaOverrideReader({ enabled: true }, [skillTree], fromFetchRequest);
 * read?.(request)?.get('skill_tree_layout'); // 'list' for ?bucketry_override=skill_tree_layout:list
 * ```
 */
export type QaOverrideReader<Req> = (req: Req) => ReadonlyMap<string, string> | undefined;

/** At most this many `key:variant` pairs are read per request, however many are sent. */
const MAX_PAIRS = 32;

/**
 * Builds the per-request reader, or returns `undefined` when overrides are off.
 *
 * @param experiments - the experiments overrides may name
 * @param source - how to read a header and the query string of the framework's request
 * @example
 * ```ts
 * const read = createQaOverrideReader({ enabled: true }, bucketry.experiments, fromFetchRequest);
 * read?.(request);  // Map { 'skill_tree_layout' => 'list' } for ?bucketry_override=skill_tree_layout:list
 * ```
 */
export function createQaOverrideReader<Req>(
  options: QaOverrideOptions<Req> | undefined,
  experiments: readonly Experiment[],
  source: QaOverrideSource<Req>,
): QaOverrideReader<Req> | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== 'object') invalidOption('qaOverrides', options, 'must be an object');
  const enabled = options.enabled ?? false;
  if (typeof enabled !== 'boolean') invalidOption('qaOverrides.enabled', enabled, 'must be true or false');
  const query = options.query ?? 'bucketry_override';
  if (query !== false) checkHttpToken('qaOverrides.query', query, 64);
  const header = options.header ?? 'x-bucketry-override';
  if (header !== false) checkHttpToken('qaOverrides.header', header, 64);
  const allow = options.allow;
  if (allow !== undefined && typeof allow !== 'function') invalidOption('qaOverrides.allow', allow, 'must be a function');
  if (!enabled || (query === false && header === false)) return undefined;

  const variantsByKey = new Map(experiments.map((e) => [e.key, new Set<string>(e.variants)]));
  const headerName = header === false ? undefined : header.toLowerCase();

  const collect = (text: string, into: Map<string, string>, budget: { left: number }): void => {
    for (const pair of text.split(',')) {
      if (budget.left-- <= 0) return;
      const colon = pair.indexOf(':');
      if (colon === -1) continue;
      const key = pair.slice(0, colon).trim();
      const variant = pair.slice(colon + 1).trim();
      if (variantsByKey.get(key)?.has(variant)) into.set(key, variant);
    }
  };

  return (req) => {
    const texts: string[] = [];
    if (headerName !== undefined) {
      const value = source.header(req, headerName);
      if (typeof value === 'string') texts.push(value);
      else if (Array.isArray(value)) texts.push(...(value as readonly string[]));
    }
    if (query !== false) {
      const search = source.search(req);
      if (search.length > 1) texts.push(...new URLSearchParams(search).getAll(query));
    }
    if (texts.length === 0) return undefined;
    if (allow !== undefined) {
      try {
        if (allow(req) !== true) return undefined;
      } catch {
        return undefined;
      }
    }
    const forced = new Map<string, string>();
    const budget = { left: MAX_PAIRS };
    // Header first, then the query: a later pair for the same experiment wins.
    for (const text of texts) collect(text, forced, budget);
    return forced.size > 0 ? forced : undefined;
  };
}
