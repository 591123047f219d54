import type { Experiment } from '@bucketry/core';
import type { Request } from 'express';
import { checkHttpToken, invalidOption } from './http-token.js';
import type { HttpRequest } from './http-types.js';

/**
 * QA overrides: force a variant for one request with a query parameter or a header, e.g.
 * `?bucketry_override=skill_tree_layout:list` or `X-Bucketry-Override: skill_tree_layout:list`
 * (several as `a:x,b:y`). Off unless `enabled` is `true`. Only known experiments and known
 * variants are accepted; anything else is ignored. A kill switch (`enabled: false` or rollout 0)
 * wins over an override. The exposure of an overridden request is marked `reason: 'override'`.
 *
 * @example
 * ```ts
 * const qaOverrides: QaOverrideOptions = {
 *   enabled: process.env.NODE_ENV !== 'production',
 *   allow: (req) => req.get('x-staff') === 'yes',
 * };
 * ```
 */
export interface QaOverrideOptions {
  /** Default `false`. */
  readonly enabled?: boolean;
  /** The query parameter, or `false` for none. Default `bucketry_override`. */
  readonly query?: string | false;
  /** The request header, or `false` for none. Default `x-bucketry-override`. */
  readonly header?: string | false;
  /** Who may override; default everyone (once enabled). A throw counts as no. */
  readonly allow?: (req: Request) => boolean;
}

/** Reads the forced variants of one request: experiment key → variant. */
export type QaOverrideReader = (req: HttpRequest) => ReadonlyMap<string, string> | undefined;

/** At most this many `key:variant` pairs are read per request, however many are sent. */
const MAX_PAIRS = 32;

/**
 * Builds the per-request reader, or returns `undefined` when overrides are off.
 *
 * @param experiments - the experiments overrides may name
 * @example
 * ```ts
 * const read = createQaOverrideReader({ enabled: true }, bucketry.experiments);
 * read?.(req);  // Map { 'skill_tree_layout' => 'list' } for ?bucketry_override=skill_tree_layout:list
 * ```
 */
export function createQaOverrideReader(
  options: QaOverrideOptions | undefined,
  experiments: readonly Experiment[],
): QaOverrideReader | undefined {
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
      const value = req.headers[headerName];
      if (typeof value === 'string') texts.push(value);
      else if (Array.isArray(value)) texts.push(...value);
    }
    if (query !== false) {
      const url = req.originalUrl ?? req.url ?? '';
      const mark = url.indexOf('?');
      if (mark !== -1) texts.push(...new URLSearchParams(url.slice(mark + 1)).getAll(query));
    }
    if (texts.length === 0) return undefined;
    if (allow !== undefined) {
      try {
        if (allow(req as Request) !== true) return undefined;
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
