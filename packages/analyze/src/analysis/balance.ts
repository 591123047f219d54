import { bucketsFor, chooseInterval, widenedInterval } from './balance-interval.js';
import { balanceFalseAlarmRate, balanceMinUnits, outsideTolerance } from './balance-rule.js';
import type { UnitTable } from './unit-table.js';

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
  /** Whether the bucket had enough units to be judged (at least the balance's `minUnits`). */
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
  /** `option` when the interval was asked for (`intervalMs`), `data` when chosen from the data (see chooseInterval). */
  readonly intervalFrom: 'option' | 'data';
  /** Set when the requested interval gave more than 1,000 buckets and was widened. */
  readonly requestedIntervalMs: number | undefined;
  /** Per variant, percentage points. */
  readonly tolerancePoints: readonly number[];
  /** The fewest units a bucket needs to be judged: by default where the tolerance spans 3 standard errors of a share (900 units with the default tolerance). */
  readonly minUnits: number;
  /**
   * The chance that a judged bucket of `minUnits` units whose units split exactly as the weights
   * say is flagged anyway (exact binomial; summed over variants when there are more than two):
   * the false-alarm rate per judged bucket, lower in larger buckets. `null` without weights to
   * judge (one variant has all of them).
   */
  readonly falseAlarmRate: number | null;
  readonly buckets: readonly TimeBucket[];
  /** Buckets with enough units to be judged. */
  readonly judgedBuckets: number;
  /** Buckets with a variant outside the tolerance. */
  readonly flaggedBuckets: number;
}

/** What {@link buildBalance} needs besides the unit table. */
export interface BalanceOptions {
  readonly variants: readonly string[];
  readonly weights: readonly number[];
  /** The bucket width; `undefined` chooses it from the data. */
  readonly intervalMs: number | undefined;
  readonly tolerancePoints: number | undefined;
  /** `undefined`: where the tolerance spans 3 standard errors (see balanceMinUnits). */
  readonly minUnits: number | undefined;
  /** Conversions per bucket of the first this many tracked metrics (default all). */
  readonly metricCount?: number;
  /** Earliest and latest first exposure of single-variant units (from summarizeUnits). */
  readonly from: number;
  readonly to: number;
}

/**
 * Buckets units by the time of their first exposure and flags judged buckets whose split is off.
 * Without an interval, the finest round one at which most units fall in buckets that can be judged.
 */
export function buildBalance(table: UnitTable, options: BalanceOptions): Balance {
  const { variants, weights } = options;
  const k = variants.length;
  const metricCount = options.metricCount ?? table.metricCount;
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  const expected = weights.map((w) => w / totalWeight);
  const tolerancePoints = expected.map((w) => options.tolerancePoints ?? balanceTolerancePoints(w));
  const minUnits = options.minUnits ?? balanceMinUnits(expected, tolerancePoints);
  const falseAlarmRate = expected.some((w) => w > 0 && w < 1) ? balanceFalseAlarmRate(minUnits, expected, tolerancePoints) : null;
  const intervalFrom = options.intervalMs === undefined ? 'data' : 'option';
  const settings = { intervalFrom, tolerancePoints, minUnits, falseAlarmRate } as const;
  if (!(options.from <= options.to)) {
    return { intervalMs: options.intervalMs ?? 3_600_000, requestedIntervalMs: undefined, ...settings, buckets: [], judgedBuckets: 0, flaggedBuckets: 0 };
  }

  const intervalMs = options.intervalMs === undefined ? chooseInterval(table, minUnits, options.from, options.to) : widenedInterval(options.intervalMs, options.from, options.to);
  const firstIndex = Math.floor(options.from / intervalMs);
  const bucketCount = bucketsFor(options.from, options.to, intervalMs);
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
  let judgedBuckets = 0;
  let flaggedBuckets = 0;
  for (let b = 0; b < bucketCount; b++) {
    const bucketUnits = Array.from(units.subarray(b * k, (b + 1) * k));
    const total = bucketUnits.reduce((sum, n) => sum + n, 0);
    const shares = bucketUnits.map((n) => (total > 0 ? n / total : null));
    const judged = total >= minUnits;
    const outOfTolerance = judged ? variants.filter((_, v) => outsideTolerance(shares[v]!, expected[v]!, tolerancePoints[v]!)) : [];
    if (judged) judgedBuckets++;
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
    requestedIntervalMs: options.intervalMs === undefined || intervalMs === options.intervalMs ? undefined : options.intervalMs,
    ...settings,
    buckets,
    judgedBuckets,
    flaggedBuckets,
  };
}
