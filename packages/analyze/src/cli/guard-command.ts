import { EXIT, type CliIo } from './io.js';
import { rolloutCommand } from './rollout-command.js';

/** What `@bucketry/guard/cli` gives; imported only when a guard command runs. */
interface GuardCli {
  runGuardCommand(argv: readonly string[], io: { stdout: CliIo['stdout']; stderr: CliIo['stderr']; env: NodeJS.ProcessEnv; cwd: string }): Promise<number>;
}

// Named through a variable: @bucketry/guard depends on this package, so this package does not
// depend on it back (an optional install beside it, found at run time).
const GUARD_CLI = '@bucketry/guard/cli';

// Only @bucketry/guard itself missing: a module it needs missing is its own error, shown as it is.
const isGuardMissing = (error: unknown): boolean => {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.includes("'@bucketry/guard'");
};

/**
 * `bucketry monitor | baseline | report daily` and `bucketry rollout advance`: guarded rollouts.
 * The work is `@bucketry/guard`'s, installed beside this package when wanted.
 */
export function guardCommand(command: 'monitor' | 'baseline' | 'report' | 'advance', importGuard: () => Promise<unknown> = () => import(GUARD_CLI)) {
  return async (args: readonly string[], io: CliIo): Promise<number> => {
    let guard: GuardCli;
    try {
      guard = (await importGuard()) as GuardCli;
    } catch (error) {
      if (!isGuardMissing(error)) throw error;
      io.stderr.write(`bucketry ${command === 'advance' ? 'rollout advance' : command}: needs @bucketry/guard beside @bucketry/analyze (npm i @bucketry/guard)\n`);
      return EXIT.unusable;
    }
    return guard.runGuardCommand([command, ...args], { stdout: io.stdout, stderr: io.stderr, env: process.env, cwd: io.cwd });
  };
}

/** `bucketry rollout …`: `advance` is the guard's (a plan's next stage), the rest @bucketry/live's. */
export function rolloutWithAdvance(args: readonly string[], io: CliIo): Promise<number> {
  return args[0] === 'advance' ? guardCommand('advance')(args.slice(1), io) : rolloutCommand(args, io);
}
