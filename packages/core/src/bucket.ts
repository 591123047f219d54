/**
 * Bucket arithmetic shared by every split: a 32-bit hash becomes one of {@link BUCKETS}
 * buckets, and a percentage becomes the number of buckets below its threshold.
 */

/**
 * Buckets in the unit interval: 1,000,000, so a percentage resolves to 0.0001%.
 *
 * @example
 * ```ts
 * const threshold = (12.5 / 100) * BUCKETS;  // 125,000 buckets are 12.5%
 * ```
 */
export const BUCKETS = 1_000_000;

/** Buckets per percent point: BUCKETS / 100, written as a literal so a bundler can drop it unused. */
export const BUCKETS_PER_PERCENT = 10_000;

/**
 * The bucket of a 32-bit hash: floor(hash × 1,000,000 / 2^32), exact in any language with
 * 64-bit integers (hash × 10^6 < 2^52, so exact in doubles too).
 *
 * @example
 * ```ts
 * bucketOf(xxhash32('user-42', seedFor('skill_tree_layout', SEED_PURPOSE.rollout)));  // 0..999,999
 * ```
 */
export const bucketOf = (hash: number): number => Math.floor((hash * BUCKETS) / 4294967296);
