// When a time bucket's split can be judged against the balance tolerance, and how often an even
// split is flagged by chance. A share of n units with expected share w has a standard error of
// √(w(1−w)/n); the default tolerance, 10·√(w(1−w)) points, is one standard error at 100 units, so
// buckets of 100 were flagged in about a third of A/A buckets. A bucket is judged only from the
// size at which the tolerance is three standard errors.
import { binomialCdf, binomialUpperTail } from '@bucketry/stats';

/** Standard errors of a bucket's share that the tolerance must span for the bucket to be judged. */
export const BALANCE_STANDARD_ERRORS = 3;

/** Whether a share is outside the tolerance (in points) around the expected share: the flag. */
export const outsideTolerance = (share: number, expected: number, tolerancePoints: number): boolean => Math.abs(share - expected) * 100 > tolerancePoints + 1e-9;

/**
 * The fewest units at which each variant's tolerance spans {@link BALANCE_STANDARD_ERRORS}
 * standard errors of its share: the largest over variants of w(1−w)·(3·100/t)². 900 with the
 * default tolerance at any split.
 *
 * @example
 * ```ts
 * balanceMinUnits([0.9, 0.1], [3, 3]); // 900
 * balanceMinUnits([0.9, 0.1], [4, 4]); // 507
 * ```
 */
export function balanceMinUnits(shares: readonly number[], tolerancePoints: readonly number[]): number {
  let units = 1;
  shares.forEach((w, v) => {
    const needed = w * (1 - w) * ((BALANCE_STANDARD_ERRORS * 100) / tolerancePoints[v]!) ** 2;
    // The default tolerance gives 900 up to rounding (899.9999999999998): not 901, and not 899.
    units = Math.max(units, Math.ceil(needed - 1e-9));
  });
  return units;
}

/**
 * The chance that a bucket of `units` units, split exactly as expected (binomially), is flagged:
 * for each variant P(X ≤ the last count below the band) + P(X ≥ the first count above it) with
 * X ~ Binomial(units, w). With two variants both shares leave the band together, so that is the
 * rate; with more, the sum over variants (a bound). Larger buckets are flagged less often.
 *
 * @example
 * ```ts
 * balanceFalseAlarmRate(900, [0.5, 0.5], [5, 5]); // 0.0025
 * ```
 */
export function balanceFalseAlarmRate(units: number, shares: readonly number[], tolerancePoints: readonly number[]): number {
  const rates: number[] = [];
  shares.forEach((w, v) => {
    if (!(w > 0 && w < 1)) return;
    const t = tolerancePoints[v]!;
    const flagged = (x: number) => outsideTolerance(x / units, w, t);
    // The first counts flagged on either side, found by stepping from the band's ends.
    let above = Math.max(0, Math.floor(units * (w + t / 100)) - 1);
    while (above <= units && !flagged(above)) above++;
    let below = Math.min(units, Math.ceil(units * (w - t / 100)) + 1);
    while (below >= 0 && !flagged(below)) below--;
    rates.push(binomialCdf(below, units, w) + binomialUpperTail(above, units, w));
  });
  const rate = rates.length === 2 ? rates[0]! : rates.reduce((sum, r) => sum + r, 0);
  return Math.min(1, rate);
}
