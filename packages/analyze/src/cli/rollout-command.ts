import { EXIT, type CliIo } from './io.js';

/** What `@bucketry/live/cli` gives; imported only when `bucketry rollout` runs. */
interface LiveCli {
  runRolloutCommand(argv: readonly string[], io: { stdout: CliIo['stdout']; stderr: CliIo['stderr']; env: NodeJS.ProcessEnv; cwd: string }): Promise<number>;
}

// Only @bucketry/live itself missing: a driver it needs (pg, ioredis) missing is its own error, shown as it is.
const isLiveMissing = (error: unknown): boolean => {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.includes("'@bucketry/live'");
};

/**
 * `bucketry rollout set|status|history …`: changes and reads live rollouts in a store
 * (`file:`, `postgres://`, `redis://`). The work is `@bucketry/live`'s, an optional peer of this
 * package: the analysis alone needs no database drivers.
 */
export async function rolloutCommand(
  args: readonly string[],
  io: CliIo,
  importLive: () => Promise<unknown> = () => import('@bucketry/live/cli'),
): Promise<number> {
  let live: LiveCli;
  try {
    live = (await importLive()) as LiveCli;
  } catch (error) {
    if (!isLiveMissing(error)) throw error;
    io.stderr.write('bucketry rollout: needs @bucketry/live beside @bucketry/analyze (npm i @bucketry/live)\n');
    return EXIT.unusable;
  }
  return live.runRolloutCommand(args, { stdout: io.stdout, stderr: io.stderr, env: process.env, cwd: io.cwd });
}
