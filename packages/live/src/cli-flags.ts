/** A command line that breaks a rule; the message names the flag, the value and the rule. Exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Flags that take a value, and those that take none. */
const VALUED = new Set(['store', 'fraction', 'phase', 'reason', 'actor', 'format', 'expect-version']);
const BOOLEAN = new Set(['help']);

/** Splits `argv` into positionals and flags (`--name value` or `--name=value`), refusing unknown and repeated flags. */
export function parseFlags(argv: readonly string[]): { positionals: string[]; flags: Map<string, string | true> } {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (flags.has(name)) throw new UsageError(`--${name} is given twice; give it once`);
    if (BOOLEAN.has(name)) {
      flags.set(name, true);
    } else if (VALUED.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else {
      throw new UsageError(`unknown flag --${name} (known: ${[...VALUED, ...BOOLEAN].map((f) => `--${f}`).join(', ')})`);
    }
  }
  return { positionals, flags };
}
