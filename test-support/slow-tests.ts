import { vi } from 'vitest';

/**
 * The timeout of every test and hook in a file that runs the CLI, a child process, worker threads
 * or the analysis of a simulated export. Such a test takes a second or two on a quiet machine and
 * many times that on a loaded 2-core one, where Vitest's 5 s default failed "reads stdin with -,
 * and gzip" for no fault of the code. Generous on purpose: a hang still fails, a busy machine does not.
 */
export const SLOW_TEST_TIMEOUT_MS = 180_000;

/** Gives every test and hook of the calling test file {@link SLOW_TEST_TIMEOUT_MS}; call it once, at the top. */
export function useSlowTestTimeouts(): void {
  vi.setConfig({ testTimeout: SLOW_TEST_TIMEOUT_MS, hookTimeout: SLOW_TEST_TIMEOUT_MS });
}
