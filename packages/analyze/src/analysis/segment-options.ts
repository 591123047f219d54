import { failOption } from './options-error.js';

/** Segment properties at most: each costs 13 bytes per unit and multiplies the comparisons. */
export const MAX_SEGMENTS = 8;

/** Distinct values kept per segment property; later values are pooled into one "other" slice. */
export const MAX_SEGMENT_VALUES = 50;

/**
 * A slice whose smallest arm has fewer units than this is flagged small. At 100 units per arm the
 * 95% interval of a difference between two 10% rates spans about ±8 points, and a rate under 5%
 * has fewer than 5 expected conversions per arm, where the z-test's normal approximation fails.
 */
export const DEFAULT_SEGMENT_MIN_UNITS = 100;

/** What resolveOptions makes of `segments` and `segmentMinUnits`. */
export interface SegmentOptions {
  readonly segments: readonly string[];
  readonly segmentMinUnits: number;
}

/** Checks `segments` (unique non-empty names, at most MAX_SEGMENTS) and `segmentMinUnits`. */
export function resolveSegmentOptions(segments: readonly string[] | undefined, minUnits: number | undefined): SegmentOptions {
  const names = segments ?? [];
  if (!Array.isArray(names) || names.length > MAX_SEGMENTS) failOption('segments', names, `must list at most ${MAX_SEGMENTS} property names`);
  names.forEach((name, i) => {
    if (typeof name !== 'string' || name === '') failOption(`segments[${i}]`, name, 'must be a non-empty property name');
    if (names.indexOf(name) !== i) failOption(`segments[${i}]`, name, 'must be unique');
  });
  const segmentMinUnits = minUnits ?? DEFAULT_SEGMENT_MIN_UNITS;
  if (!Number.isInteger(segmentMinUnits) || segmentMinUnits < 1) failOption('segmentMinUnits', segmentMinUnits, 'must be a whole number of units >= 1');
  return { segments: names, segmentMinUnits };
}
