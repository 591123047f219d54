import type { ResolvedOptions } from '../analysis/options.js';

/**
 * The analysis asks for something the SQL engines do not tally yet (durations, values and
 * ratios, segments, CUPED): the streaming engine (the default) does. The CLI exits 2 on it.
 *
 * @example
 * ```ts
 * try { await analyzeWithDuckDb(['export.parquet'], options); } catch (e) { if (e instanceof UnsupportedBySqlError) console.error(e.message); }
 * ```
 */
export class UnsupportedBySqlError extends Error {
  override name = 'UnsupportedBySqlError';
  constructor(what: string) {
    super(`${what}; run without --engine (the streaming engine) for them`);
  }
}

/** Throws {@link UnsupportedBySqlError} naming the first option the SQL engines cannot honour. */
export function checkSqlSupports(options: ResolvedOptions): void {
  const unsupported: [string, boolean][] = [
    ['values', options.values.length > 0],
    ['ratios', options.ratios.length > 0],
    ['value guardrails', options.valueSeries.length > 0],
    ['segments', options.segments.length > 0],
    ['cupedWindowMs (CUPED)', options.cupedWindowMs !== undefined],
  ];
  const found = unsupported.find(([, asked]) => asked);
  if (found !== undefined) throw new UnsupportedBySqlError(`option ${found[0]} is set, which the SQL engines do not tally yet`);
}
