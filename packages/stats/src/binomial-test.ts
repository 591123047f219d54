// The exact binomial test, two-sided as SciPy's binomtest defines it.
import { binomialCdf, binomialUpperTail } from './binomial.js';
import { logGamma } from './chi-square.js';

/** P(X = i) for X ~ Binomial(n, p), through ln Γ. */
function binomialPmf(i: number, n: number, p: number): number {
  if (i < 0 || i > n) return 0;
  if (p === 0) return i === 0 ? 1 : 0;
  if (p === 1) return i === n ? 1 : 0;
  return Math.exp(logGamma(n + 1) - logGamma(i + 1) - logGamma(n - i + 1) + i * Math.log(p) + (n - i) * Math.log1p(-p));
}

/** Where a monotone `f` on [lo, hi] crosses `d`: the last index with f ≤ d (SciPy's search, kept step for step). */
function crossing(f: (i: number) => number, d: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const value = f(mid);
    if (value < d) lo = mid + 1;
    else if (value > d) hi = mid - 1;
    else return mid;
  }
  return f(lo) <= d ? lo : lo - 1;
}

/**
 * The exact two-sided binomial test of k successes in n trials against success probability p
 * (default ½): the probability, under p, of every outcome no more likely than k (outcomes within
 * a relative 1e-7 of k's probability count as equally likely), as scipy.stats.binomtest computes
 * it. With p = ½ it is the sign test. Throws a RangeError naming the argument for counts that are
 * not whole numbers with 0 ≤ k ≤ n, or p outside [0, 1].
 *
 * @example
 * ```ts
 * binomialTest(60, 100); // 0.056887...: 60 of 100 units preferring B is not yet significant at 5%
 * binomialTest(3, 20, 0.05); // 0.07548...
 * ```
 */
export function binomialTest(k: number, n: number, p = 0.5): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n is ${n}, must be a whole number of trials, at least 1`);
  if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`k is ${k}, must be a whole number of successes from 0 to n (${n})`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p is ${p}, must be a probability from 0 to 1`);
  const tolerance = 1 + 1e-7;
  const d = binomialPmf(k, n, p);
  const below = (m: number) => binomialCdf(m, n, p); // P(X ≤ m)
  const above = (m: number) => binomialUpperTail(m + 1, n, p); // P(X > m)
  let value: number;
  if (k === n * p) return 1;
  if (k < n * p) {
    const ix = crossing((i) => -binomialPmf(i, n, p), -d * tolerance, Math.ceil(p * n), n);
    const y = n - ix + (d * tolerance === binomialPmf(ix, n, p) ? 1 : 0);
    value = below(k) + above(n - y);
  } else {
    const ix = crossing((i) => binomialPmf(i, n, p), d * tolerance, 0, Math.floor(p * n));
    const y = ix + 1;
    value = below(y - 1) + above(k - 1);
  }
  return Math.min(1, value);
}
