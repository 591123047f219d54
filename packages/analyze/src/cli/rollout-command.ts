import { EXIT, type CliIo } from './io.js';

/** What `@bucketry/live/cli` gives; imported only when `bucketry rollout` runs. */
interface LiveCli {
  runRolloutCommand(argv: readonly string[], io: { stdout: CliIo['stdout']; stderr: CliIo['stderr']; env: NodeJS.ProcessEnv; cwd: string }): Promise<number>;
}

const isMissingModule = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === 'ERR_MODULE_NOT_FOUND';

/**
 * `bucketry rollout set|status|history …`: changes and reads live rollouts in a store
 * (`file:`, `postgres://`, `redis://`). The work is `@bucketry/live`'s, an optional peer of this
 * package: the analysis alone needs no database drivers.
 */
export async function rolloutCommand(args: readonly string[], io: CliIo): Promise<number> {
  let live: LiveCli;
  try {
    live = (await import('@bucketry/live/cli')) as LiveCli;
  } catch (error) {
    if (!isMissingModule(error)) throw error;
    io.stderr.write('bucketry rollout: needs @bucketry/live beside @bucketry/analyze (npm i @bucketry/live)\n');
    return EXIT.unusable;
  }
  return live.runRolloutCommand(args, { stdout: io.stdout, stderr: io.stderr, env: process.env, cwd: io.cwd });
}
