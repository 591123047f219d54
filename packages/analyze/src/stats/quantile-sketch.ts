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
 * Quantiles of a stream of non-negative values (durations) in bounded memory: exact for the first
 * {@link EXACT_CAPACITY} values, then a log-bucket histogram in which every quantile is within
 * {@link RELATIVE_ACCURACY} (0.5%) of the exact one, whatever the count. About 28 KB once bucketed.
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

  /** Values added so far. */
  get count(): number {
    return this.n;
  }

  /** Adds a value ≥ 0. */
  add(value: number): void {
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
