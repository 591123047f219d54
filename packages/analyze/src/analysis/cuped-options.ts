import { failOption } from './options-error.js';

/** The shortest CUPED window: one hour. */
export const MIN_CUPED_WINDOW_MS = 3_600_000;
/** The longest: a year. */
export const MAX_CUPED_WINDOW_MS = 366 * 86_400_000;

/** Checks `cupedWindowMs` (`undefined`: no CUPED). */
export function resolveCupedWindow(windowMs: number | undefined): number | undefined {
  if (windowMs === undefined) return undefined;
  if (typeof windowMs !== 'number' || !(windowMs >= MIN_CUPED_WINDOW_MS && windowMs <= MAX_CUPED_WINDOW_MS)) {
    failOption('cupedWindowMs', windowMs, `must be a duration in ms from ${MIN_CUPED_WINDOW_MS} (1 hour) to ${MAX_CUPED_WINDOW_MS} (366 days)`);
  }
  return windowMs;
}
