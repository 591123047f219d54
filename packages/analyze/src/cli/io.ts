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

/** `--help`: the command's help on stdout, exit 0. */
export function printHelp(io: CliIo, help: string): number {
  io.stdout.write(help + '\n');
  return EXIT.healthy;
}

/** A command line that breaks a rule; the message names the flag, the value and the rule. Exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Why writing to standard output failed, by error code. */
const STDOUT_FAILURES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'over the disk quota',
  EIO: 'an input/output error on the device',
};

/**
 * What the bin does when writing to standard output fails: a reader that stops early
 * (`bucketry simulate … | head`) ends the process quietly with exit 0; any other failure (stdout
 * redirected to a full disk or `/dev/full`) prints one line on stderr and exits 2, the code for
 * unusable input or output, never a stack trace nor the 1 of a failed check.
 *
 * @example
 * ```ts
 * process.stdout.on('error', (error) => onStdoutError(error, process.stderr, process.exit));
 * ```
 */
export function onStdoutError(error: NodeJS.ErrnoException, stderr: OutputStream, exit: (code: number) => void): void {
  if (error.code === 'EPIPE') return exit(EXIT.healthy);
  stderr.write(`bucketry: cannot write to standard output: ${STDOUT_FAILURES[error.code ?? ''] ?? error.message}\n`);
  exit(EXIT.unusable);
}
