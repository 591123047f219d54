import type { UnitTable } from './unit-table.js';

/** Time buckets are widened (along {@link NICE_INTERVALS_MS}) until there are at most this many. */
export const MAX_BUCKETS = 1000;

/** Interval widths tried when the requested one gives too many buckets. */
export const NICE_INTERVALS_MS = [
  60_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000, 172_800_000, 604_800_000,
];

/**
 * The default tolerance, in percentage points, for a variant's share of the units first exposed in
 * a time bucket: 10·√(w(1−w)) for an expected share w. It follows the binomial spread of a share,
 * so it is ±3 points at a 10/90 split and ±5 at 50/50.
 *
 * @example
 * ```ts
 * balanceTolerancePoints(0.1); // 3
 * balanceTolerancePoints(0.5); // 5
 * ```
 */
export function balanceTolerancePoints(share: number): number {
  return 10 * Math.sqrt(share * (1 - share));
}

/**
 * One time bucket of the exposure timeline.
 *
 * @example
 * ```ts
 * const busiest = report.balance.buckets.reduce((a, b) => (b.units[0] > a.units[0] ? b : a));
 * ```
 */
export interface TimeBucket {
  /** Start of the bucket, ISO 8601; buckets are aligned to the epoch (10m buckets start on :00, :10, …). */
  readonly start: string;
  /** Units first exposed in the bucket, per variant. Quiet buckets are kept, with zeros. */
  readonly units: readonly number[];
  /** Each variant's share of those units, `null` when the bucket has none. */
  readonly shares: readonly (number | null)[];
  /** conversions[metric][variant]: of the units first exposed in the bucket, those that converted. */
  readonly conversions: readonly (readonly number[])[];
  /** Whether the bucket had enough units to be judged. */
  readonly judged: boolean;
  /** Variants whose share is outside the tolerance (judged buckets only). */
  readonly outOfTolerance: readonly string[];
}

/**
 * Exposure balance over time.
 *
 * @example
 * ```ts
 * const { flaggedBuckets, buckets } = report.balance;
 * ```
 */
export interface Balance {
  readonly intervalMs: number;
  /** Set when the requested interval gave more than {@link MAX_BUCKETS} buckets and was widened. */
  readonly requestedIntervalMs: number | undefined;
  /** Per variant, percentage points. */
  readonly tolerancePoints: readonly number[];
  readonly minUnits: number;
  readonly buckets: readonly TimeBucket[];
  /** Buckets with a variant outside the tolerance. */
  readonly flaggedBuckets: number;
}

/** What {@link buildBalance} needs besides the unit table. */
export interface BalanceOptions {
  readonly variants: readonly string[];
  readonly weights: readonly number[];
  readonly intervalMs: number;
  readonly tolerancePoints: number | undefined;
  readonly minUnits: number;
  /** Earliest and latest first exposure of single-variant units (from summarizeUnits). */
  readonly from: number;
  readonly to: number;
}

/** Buckets units by the time of their first exposure and flags buckets whose split is off. */
export function buildBalance(table: UnitTable, options: BalanceOptions): Balance {
  const { variants, weights, minUnits } = options;
  const k = variants.length;
  const metricCount = table.metricCount;
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  const expected = weights.map((w) => w / totalWeight);
  const tolerancePoints = expected.map((w) => options.tolerancePoints ?? balanceTolerancePoints(w));
  if (!(options.from <= options.to)) {
    return { intervalMs: options.intervalMs, requestedIntervalMs: undefined, tolerancePoints, minUnits, buckets: [], flaggedBuckets: 0 };
  }

  let intervalMs = options.intervalMs;
  const bucketsFor = (width: number) => Math.floor(options.to / width) - Math.floor(options.from / width) + 1;
  if (bucketsFor(intervalMs) > MAX_BUCKETS) {
    intervalMs = NICE_INTERVALS_MS.find((w) => w > intervalMs && bucketsFor(w) <= MAX_BUCKETS) ?? Math.ceil((options.to - options.from) / (MAX_BUCKETS - 1));
  }
  const firstIndex = Math.floor(options.from / intervalMs);
  const bucketCount = bucketsFor(intervalMs);
  const units = new Float64Array(bucketCount * k);
  const conversions = new Float64Array(bucketCount * metricCount * k);
  for (let row = 0; row < table.size; row++) {
    const variant = table.variantOf(row);
    if (variant < 0) continue;
    const bucket = Math.floor(table.firstExposure[row]! / intervalMs) - firstIndex;
    units[bucket * k + variant]!++;
    for (let m = 0; m < metricCount; m++) if (table.converted(row, m)) conversions[(bucket * metricCount + m) * k + variant]!++;
  }

  const buckets: TimeBucket[] = [];
  let flaggedBuckets = 0;
  for (let b = 0; b < bucketCount; b++) {
    const bucketUnits = Array.from(units.subarray(b * k, (b + 1) * k));
    const total = bucketUnits.reduce((sum, n) => sum + n, 0);
    const shares = bucketUnits.map((n) => (total > 0 ? n / total : null));
    const judged = total >= minUnits;
    const outOfTolerance = judged ? variants.filter((_, v) => Math.abs(shares[v]! - expected[v]!) * 100 > tolerancePoints[v]! + 1e-9) : [];
    if (outOfTolerance.length > 0) flaggedBuckets++;
    buckets.push({
      start: new Date((firstIndex + b) * intervalMs).toISOString(),
      units: bucketUnits,
      shares,
      conversions: Array.from({ length: metricCount }, (_, m) => Array.from(conversions.subarray((b * metricCount + m) * k, (b * metricCount + m + 1) * k))),
      judged,
      outOfTolerance,
    });
  }
  return {
    intervalMs,
    requestedIntervalMs: intervalMs === options.intervalMs ? undefined : options.intervalMs,
    tolerancePoints,
    minUnits,
    buckets,
    flaggedBuckets,
  };
}
