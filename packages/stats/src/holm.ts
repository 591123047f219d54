/**
 * Holm–Bonferroni adjusted p-values, in the order given: sort ascending, p̃₍ᵢ₎ = max_{j≤i} min(1, (m−j+1)·p₍ⱼ₎).
 * Reject the hypotheses whose adjusted p-value is below α; the family-wise error stays at α.
 *
 * @example
 * ```ts
 * holmAdjust([0.01, 0.04, 0.03, 0.005]); // [0.03, 0.06, 0.06, 0.02]
 * ```
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`pValues[${i}] is ${p}, must be from 0 to 1`);
  });
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]!);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[index]!));
    adjusted[index] = running;
  });
  return adjusted;
}
