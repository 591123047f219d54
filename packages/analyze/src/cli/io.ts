import type { Readable } from 'node:stream';

/** Where a command writes; `isTTY` decides whether a progress bar is drawn. */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** The outside world of the CLI, injectable so commands can be tested in-process. */
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
