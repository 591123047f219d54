// Tails of the binomial distribution through the regularized incomplete beta function.
import { regularizedIncompleteBetaOf } from './incomplete-beta.js';

/**
 * P(X ≤ k) for X ~ Binomial(n, p): I_{1−p}(n − k, k + 1).
 *
 * @example
 * ```ts
 * binomialCdf(404, 900, 0.5); // 0.0012...
 * ```
 */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  return regularizedIncompleteBetaOf(1 - p, p, n - k, k + 1);
}

/**
 * P(X ≥ k) for X ~ Binomial(n, p): I_p(k, n − k + 1).
 *
 * @example
 * ```ts
 * binomialUpperTail(496, 900, 0.5); // 0.0012...
 * ```
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  return regularizedIncompleteBetaOf(p, 1 - p, k, n - k + 1);
}
