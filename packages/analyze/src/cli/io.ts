import type { Readable } from 'node:stream';

/**
 * Where a command writes; `isTTY` decides whether a progress bar is drawn.
 *
 * @example
 * ```ts
 * const collected: string[] = [];
 * const out: OutputStream = { write: (text) => collected.push(text) };
 * ```
 */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * The outside world of the CLI, injectable so commands can be tested in-process.
 *
 * @example
 * ```ts
 * await runCli(['analyze', 'exposures.jsonl', '--policy', 'smoke-10'], { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd() });
 * ```
 */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: Readable;
  /** Resolves relative paths. */
  readonly cwd: string;
}

/** Exit codes: 0 healthy, 1 a check failed, 2 unusable input or bad flags. */
export const EXIT = { healthy: 0, checkFailed: 1, unusable: 2 } as const;

/** A command line that breaks a rule; the message names the flag, the value and the rule. Exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
