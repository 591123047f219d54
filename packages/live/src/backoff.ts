/**
 * The wait before retry number `attempt` (1, 2, …): `initial · 2^(attempt-1)` capped at `max`,
 * with "equal jitter" (between half and all of it), so instances that failed together do not
 * retry together.
 */
export function backoffDelay(attempt: number, initial: number, max: number, random: () => number = Math.random): number {
  const ceiling = Math.min(max, initial * 2 ** Math.min(attempt - 1, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}

/** `ms` moved by up to ±`ratio` of itself at random. */
export const jittered = (ms: number, ratio: number, random: () => number = Math.random): number => ms * (1 + ratio * (2 * random() - 1));

/** A timer that does not keep Node's process alive (edge runtimes have no `unref`). */
export function quietTimer(run: () => void, ms: number): ReturnType<typeof setTimeout> {
  const timer = setTimeout(run, ms);
  (timer as { unref?: () => void }).unref?.();
  return timer;
}
