import { twoSidedQuantile } from './normal.js';
import { checkCounts } from './two-proportion.js';

/**
 * Wilson's score interval for a binomial proportion x/n: the proportions p whose score test
 * |x/n − p| / √(p(1−p)/n) stays below z. Unlike the Wald interval it keeps its width at 0% and
 * 100% (0/10 gives [0, 0.2775] at 95%), and it never leaves [0, 1].
 *
 * @param confidence - two-sided level, e.g. 0.95
 * @example
 * ```ts
 * wilsonInterval(0, 10); // { low: 0, high: 0.27753 }
 * wilsonInterval(56, 70); // { low: 0.69183, high: 0.87695 }
 * ```
 */
export function wilsonInterval(x: number, n: number, confidence = 0.95): { low: number; high: number } {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence is ${confidence}, must be between 0 and 1`);
  return wilsonIntervalAt(x, n, twoSidedQuantile(confidence));
}

/**
 * {@link wilsonInterval} at the critical value z (a normal quantile, or a wider one: see always-valid.ts).
 *
 * @example
 * ```ts
 * wilsonIntervalAt(56, 70, 1.959964); // { low: 0.69183, high: 0.87695 }, as wilsonInterval(56, 70)
 * wilsonIntervalAt(56, 70, 3); // { low: 0.62655, high: 0.90509 }
 * ```
 */
export function wilsonIntervalAt(x: number, n: number, z: number): { low: number; high: number } {
  checkCounts('arm', x, n);
  const z2 = z * z;
  const centre = (x + z2 / 2) / (n + z2);
  const half = (z / (n + z2)) * Math.sqrt((x * (n - x)) / n + z2 / 4);
  // At 0 and n events one end is exactly 0 or 1; the formula would leave rounding dust there.
  return { low: x === 0 ? 0 : centre - half, high: x === n ? 1 : centre + half };
}
