import { xxhash32 } from './xxhash32.js';

/**
 * Seeds are derived per purpose so that the hashes of one unit are independent. See docs/spec.md.
 *
 * @example
 * ```ts
 * xxhash32('user-42', seedFor('skill_tree_layout', SEED_PURPOSE.traffic));
 * ```
 */
export const SEED_PURPOSE = { traffic: 1, rollout: 2, variant: 3, layer: 4, holdout: 5 } as const;

/**
 * The 32-bit seed for one purpose of one salt.
 *
 * @example
 * ```ts
 * seedFor('skill_tree_layout', SEED_PURPOSE.rollout);  // the seed of the rollout hash
 * ```
 */
export const seedFor = (salt: string, purpose: number): number => xxhash32(salt, purpose);
