import { twoSidedQuantile } from './normal.js';
import { quantileSorted } from './quantiles.js';

/** Values kept exactly before the sketch switches to log buckets. */
export const EXACT_CAPACITY = 4096;
/** Relative accuracy of a quantile once the sketch has switched to buckets. */
export const RELATIVE_ACCURACY = 0.005;

const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);
/** Values below this (1 µs when values are milliseconds) count as 0. */
const MIN_VALUE = 1e-3;
/** Values above this are clamped into the last bucket. */
const MAX_VALUE = 1e12;
const MIN_INDEX = Math.ceil(Math.log(MIN_VALUE) / LOG_GAMMA);
const BUCKET_COUNT = Math.ceil(Math.log(MAX_VALUE) / LOG_GAMMA) - MIN_INDEX + 1;

/**
 * A quantile's distribution-free confidence interval: two order statistics.
 *
 * @example
 * ```ts
 * const { low, high } = sketch.quantileInterval(0.95)!;
 * ```
 */
export interface QuantileInterval {
  readonly low: number;
  readonly high: number;
}

/**
 * Quantiles of a stream of non-negative values (durations) in bounded memory: exact for the first
 * {@link EXACT_CAPACITY} values, then a log-bucket histogram in which every quantile is within
 * {@link RELATIVE_ACCURACY} (0.5%) of the exact one, whatever the count. About 28 KB once bucketed.
 * The mean and standard deviation are exact (Welford's running sums), for Welch's t-test.
 *
 * @example
 * ```ts
 * const latency = new QuantileSketch();
 * for (const ms of [120, 80, 300]) latency.add(ms);
 * latency.quantile(0.5); // 120
 * ```
 */
export class QuantileSketch {
  private exact: Float64Array | undefined = new Float64Array(64);
  private buckets: Float64Array | undefined;
  private zeros = 0;
  private n = 0;
  private runningMean = 0;
  /** Σ(x − mean)², updated as values come (Welford). */
  private squares = 0;

  /** Values added so far. */
  get count(): number {
    return this.n;
  }

  /** The mean; NaN when empty. */
  get mean(): number {
    return this.n === 0 ? NaN : this.runningMean;
  }

  /** The sample standard deviation (n − 1); NaN below 2 values. */
  get sd(): number {
    return this.n < 2 ? NaN : Math.sqrt(this.squares / (this.n - 1));
  }

  /** Adds a value ≥ 0. */
  add(value: number): void {
    const delta = value - this.runningMean;
    this.runningMean += delta / (this.n + 1);
    this.squares += delta * (value - this.runningMean);
    if (this.exact !== undefined) {
      if (this.n === this.exact.length) {
        if (this.n < EXACT_CAPACITY) {
          const grown = new Float64Array(this.n * 2);
          grown.set(this.exact);
          this.exact = grown;
        } else {
          this.switchToBuckets();
          this.addToBuckets(value);
          this.n++;
          return;
        }
      }
      this.exact[this.n++] = value;
      return;
    }
    this.addToBuckets(value);
    this.n++;
  }

  /** The q-quantile (type 7, as NumPy), or `undefined` when empty. */
  quantile(q: number): number | undefined {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`q is ${q}, must be from 0 to 1`);
    if (this.n === 0) return undefined;
    if (this.exact !== undefined) return quantileSorted(this.exact.slice(0, this.n).sort(), q);
    const h = (this.n - 1) * q;
    const lo = Math.floor(h);
    const low = this.orderStatistic(lo);
    return lo + 1 < this.n ? low + (h - lo) * (this.orderStatistic(lo + 1) - low) : low;
  }

  /**
   * A distribution-free two-sided confidence interval for the q-quantile: the order statistics at
   * ranks ⌊nq − z·√(nq(1−q))⌋ and ⌈nq + z·√(nq(1−q))⌉ (from 1, kept within 1…n), z the normal
   * quantile of the level (the binomial count of values below the quantile, normally
   * approximated). `undefined` when empty. Once bucketed, each end is within the sketch's 0.5%.
   *
   * @param confidence - two-sided level, e.g. 0.95
   * @param designEffect - when values come in clusters (several per unit), the variance of that
   *   count over its binomial variance, D: the ranks move out to nq ± z·√(nq(1−q)·D)
   * @example
   * ```ts
   * sketch.quantileInterval(0.95); // { low: 4210, high: 4630 }
   * ```
   */
  quantileInterval(q: number, confidence = 0.95, designEffect = 1): QuantileInterval | undefined {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`q is ${q}, must be from 0 to 1`);
    if (this.n === 0) return undefined;
    const n = this.n;
    // The count of values below the quantile is binomial when the values are independent; values
    // that come in clusters (several per unit) spread it by the design effect.
    const spread = twoSidedQuantile(confidence) * Math.sqrt(n * q * (1 - q) * designEffect);
    const lowRank = Math.min(n, Math.max(1, Math.floor(n * q - spread)));
    const highRank = Math.min(n, Math.max(1, Math.ceil(n * q + spread)));
    if (this.exact !== undefined) {
      const sorted = this.exact.slice(0, n).sort();
      return { low: sorted[lowRank - 1]!, high: sorted[highRank - 1]! };
    }
    return { low: this.orderStatistic(lowRank - 1), high: this.orderStatistic(highRank - 1) };
  }

  private switchToBuckets(): void {
    this.buckets = new Float64Array(BUCKET_COUNT);
    const exact = this.exact!;
    this.exact = undefined;
    for (let i = 0; i < this.n; i++) this.addToBuckets(exact[i]!);
  }

  private addToBuckets(value: number): void {
    if (value < MIN_VALUE) {
      this.zeros++;
      return;
    }
    const index = Math.ceil(Math.log(Math.min(value, MAX_VALUE)) / LOG_GAMMA) - MIN_INDEX;
    this.buckets![index]! += 1;
  }

  /** The value of the k-th smallest (0-based): the centre of its bucket, within the relative accuracy. */
  private orderStatistic(k: number): number {
    if (k < this.zeros) return 0;
    let seen = this.zeros;
    const buckets = this.buckets!;
    for (let i = 0; i < buckets.length; i++) {
      seen += buckets[i]!;
      if (seen > k) return (2 * GAMMA ** (i + MIN_INDEX)) / (GAMMA + 1);
    }
    return MAX_VALUE;
  }
}
