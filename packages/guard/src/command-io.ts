// What the guard's commands share: where they write, the error that exits 2, and reading the
// plan, the store and the event source a flag names.
import { readFile } from 'node:fs/promises';
import { openStore, type RolloutStore } from '@bucketry/live';
import { parsePlan } from './plan.js';
import { openEventSource, type EventSink } from './source.js';
import type { Plan } from './types.js';

/**
 * Where the guard's commands write and how they resolve paths; injectable so they run in-process
 * in tests and inside the `bucketry` CLI.
 *
 * @example
 * ```ts
 * const io: GuardCommandIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
 * ```
 */
export interface GuardCommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly cwd: string;
  /** The clock, for the default window (`--to` now). */
  readonly now?: () => Date;
}

/** A command line or an input that cannot be used: exit 2 with this message. */
export class GuardUsageError extends Error {
  override name = 'GuardUsageError';
}

/** Reads and validates a plan file; errors name the file and, for a plan that breaks a rule, the field. */
export async function readPlanFile(path: string): Promise<Plan> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new GuardUsageError(`--plan ${path} cannot be read: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new GuardUsageError(`--plan ${path} is not JSON: ${(error as Error).message}`);
  }
  try {
    return parsePlan(value);
  } catch (error) {
    throw new GuardUsageError(`--plan ${path}: ${(error as Error).message}`);
  }
}

/** The store `--store` names; a URL it cannot open is a usage error. */
export function openStoreFlag(url: string, cwd: string): RolloutStore {
  try {
    return openStore(url, cwd);
  } catch (error) {
    throw new GuardUsageError(`--store: ${(error as Error).message}`);
  }
}

/** Feeds every line (and row) of an event source, from its start, to a sink; errors name the source. */
export async function readWholeSource(spec: string, cwd: string, sink: EventSink): Promise<void> {
  const source = await openEventSource(spec, cwd).catch((error: Error) => {
    throw new GuardUsageError(`--events ${spec}: ${error.message}`);
  });
  try {
    await source.read(null, sink);
  } catch (error) {
    throw new GuardUsageError(`--events ${spec}: ${(error as Error).message}`);
  } finally {
    await source.close();
  }
}
