import { parseFlags } from './flags.js';
import { EXIT, printHelp, UsageError, type CliIo } from './io.js';
import { loadPolicy } from './analyze-flags.js';
import { PRESETS } from '../policy/presets.js';

export const POLICY_HELP = `Usage: bucketry policy [<preset | file>]

Without an argument, lists the built-in presets. With a preset name, prints it as JSON (a starting
point for your own policy file); with a file, checks it and prints it back, or says what is wrong.`;

/** `bucketry policy`. */
export function policyCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseFlags('policy', args, { help: { type: 'boolean', short: 'h' } }, 1);
  if (values.help) return printHelp(io, POLICY_HELP);
  const name = positionals[0];
  if (name === undefined) {
    for (const [key, preset] of Object.entries(PRESETS)) io.stdout.write(`${key.padEnd(12)} ${preset.description}\n`);
    return EXIT.healthy;
  }
  try {
    io.stdout.write(JSON.stringify(loadPolicy(name, io.cwd), null, 2) + '\n');
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message.replace(/^--policy /, 'policy '));
    throw error;
  }
  return EXIT.healthy;
}
