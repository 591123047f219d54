// The regularized incomplete beta function, accurate in relative terms far into its tails: the
// Student t tail of a Welch test with thousands of degrees of freedom is I_x(df/2, 1/2) with x
// within a few percent of 1, and p-values of 1e-29 must come out to their printed digits.
import { logGamma } from './chi-square.js';

/** Stirling's series for ln Γ(z) − [(z − ½)·ln z − z + ½·ln 2π], for z ≥ 10 (error below 1e-12 there). */
function stirlingCorrection(z: number): number {
  const z2 = z * z;
  return (1 / z) * (1 / 12 - (1 / z2) * (1 / 360 - (1 / z2) * (1 / 1260 - (1 / z2) * (1 / 1680))));
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). When one argument is large, ln Γ(l) − ln Γ(l + s) is
 * written as one small number, −[(l − ½)·ln(1 + s/l) + s·ln(l + s) − s + δ(l + s) − δ(l)], instead of
 * the difference of two large ones (ln Γ(3908) alone is 28,400: its last digits are the p-value's first).
 */
export function logBeta(a: number, b: number): number {
  const small = Math.min(a, b);
  const large = Math.max(a, b);
  if (large < 10) return logGamma(a) + logGamma(b) - logGamma(a + b);
  const logGammaRatio = -((large - 0.5) * Math.log1p(small / large) + small * Math.log(large + small) - small + stirlingCorrection(large + small) - stirlingCorrection(large));
  return logGamma(small) + logGammaRatio;
}

/** I_x(a, b)'s continued fraction (modified Lentz); converges for x < (a + 1)/(a + b + 2), in about √max(a, b) steps near that point. */
function betaContinuedFraction(a: number, b: number, x: number, y: number): number {
  const tiny = 1e-300;
  const maxSteps = 10_000 + Math.ceil(20 * Math.sqrt(Math.max(a, b)));
  let c = 1;
  // 1 − (a + b)·x/(a + 1), written with y = 1 − x: for a huge and x near 1 the subtraction would cancel.
  let d = (1 - b + (a + b) * y) / (a + 1);
  d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
  let f = d;
  for (let m = 1; m <= maxSteps; m++) {
    // The even step, then the odd step, of the fraction's terms.
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 + even * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = 1 + even / c;
    if (Math.abs(c) < tiny) c = tiny;
    f *= c * d;
    const odd = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + odd * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = 1 + odd / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return f;
}

/**
 * I_x(a, b) given both x and y = 1 − x, each to full relative precision: callers that know 1 − x
 * exactly (t²/(df + t²) for Student's t) lose nothing to rounding x near 1.
 */
export function regularizedIncompleteBetaOf(x: number, y: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1) || !(a > 0) || !(b > 0)) return NaN;
  // Only the exact ends: x may round to 1 while y = 1e-18 still carries the answer.
  if (x === 0) return 0;
  if (y === 0) return 1;
  // x^a·y^b/B(a, b), in logs; ln x from y where x is near 1, and ln y from x where y is.
  const logX = x > 0.5 ? Math.log1p(-y) : Math.log(x);
  const logY = y > 0.5 ? Math.log1p(-x) : Math.log(y);
  const front = Math.exp(a * logX + b * logY - logBeta(a, b));
  // The fraction converges below the mean-ish point; above it, I_x(a, b) = 1 − I_y(b, a), which is
  // then no smaller than about a half, so the subtraction cancels nothing.
  const belowMean = x <= 0.5 ? x < (a + 1) / (a + b + 2) : y > (b + 1) / (a + b + 2);
  if (belowMean) return (front * betaContinuedFraction(a, b, x, y)) / a;
  return 1 - (front * betaContinuedFraction(b, a, y, x)) / b;
}

/**
 * The regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1.
 *
 * @example
 * ```ts
 * regularizedIncompleteBeta(0.5, 2, 3); // 0.6875
 * ```
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  return regularizedIncompleteBetaOf(x, 1 - x, a, b);
}
