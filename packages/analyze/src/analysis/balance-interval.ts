// The width of the exposure-balance time buckets when none is asked for: the finest round width
// at which most units fall in buckets large enough to be judged.
import type { UnitTable } from './unit-table.js';

/** Time buckets are widened (along {@link NICE_INTERVALS_MS}) until there are at most this many. */
export const MAX_BUCKETS = 1000;

/** Round interval widths, from a minute to a week. */
export const NICE_INTERVALS_MS = [
  60_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000, 172_800_000, 604_800_000,
];

/** The share of units that must fall in buckets that can be judged for a width to be chosen. */
export const JUDGED_UNITS_SHARE = 0.8;

/** When no width lets any bucket be judged, the finest with at most this many buckets is shown. */
export const UNJUDGED_BUCKETS = 8;

/** Buckets of `width` ms between `from` and `to` (aligned to the epoch). */
export const bucketsFor = (from: number, to: number, width: number): number => Math.floor(to / width) - Math.floor(from / width) + 1;

/**
 * A width of at most {@link MAX_BUCKETS} buckets: `requested` if it gives no more, else the next
 * round width that does, else the span split evenly.
 */
export function widenedInterval(requested: number, from: number, to: number): number {
  if (bucketsFor(from, to, requested) <= MAX_BUCKETS) return requested;
  return NICE_INTERVALS_MS.find((w) => w > requested && bucketsFor(from, to, w) <= MAX_BUCKETS) ?? Math.ceil((to - from) / (MAX_BUCKETS - 1));
}

/**
 * The finest round width at which at least {@link JUDGED_UNITS_SHARE} of the units exposed to one
 * variant are first exposed in buckets of `minUnits` or more; short of that, the width that
 * judges the most units; when none can judge any (fewer than `minUnits` units in all, or spread
 * too thin), the finest with at most {@link UNJUDGED_BUCKETS} buckets. One pass over the units.
 *
 * @example
 * ```ts
 * chooseInterval(accumulator.units, 900, summary.firstExposureMin, summary.firstExposureMax); // 10_800_000 (3 h) for 20,000 users over two days
 * ```
 */
export function chooseInterval(table: UnitTable, minUnits: number, from: number, to: number): number {
  const widths = NICE_INTERVALS_MS.filter((w) => bucketsFor(from, to, w) <= MAX_BUCKETS);
  if (widths.length === 0) return widenedInterval(NICE_INTERVALS_MS.at(-1)!, from, to);
  const firsts = widths.map((w) => Math.floor(from / w));
  const counts = widths.map((w) => new Float64Array(bucketsFor(from, to, w)));
  let units = 0;
  for (let row = 0; row < table.size; row++) {
    if (table.variantOf(row) < 0) continue;
    const time = table.firstExposure[row]!;
    units++;
    for (let c = 0; c < widths.length; c++) counts[c]![Math.floor(time / widths[c]!) - firsts[c]!]!++;
  }
  let best = -1;
  let bestJudged = 0;
  for (let c = 0; c < widths.length; c++) {
    let judged = 0;
    for (const n of counts[c]!) if (n >= minUnits) judged += n;
    if (judged >= JUDGED_UNITS_SHARE * units && judged > 0) return widths[c]!;
    if (judged > bestJudged) [best, bestJudged] = [c, judged];
  }
  if (best >= 0) return widths[best]!;
  return widths.find((w) => bucketsFor(from, to, w) <= UNJUDGED_BUCKETS) ?? widths.at(-1)!;
}
