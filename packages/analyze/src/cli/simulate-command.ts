import { createWriteStream } from 'node:fs';
import { once, type EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { simulateExport } from '../simulate/simulate.js';
import { simulateInterleavingExport } from '../simulate/interleaving.js';
import { parseFlags } from './flags.js';
import { EXIT, printHelp, type CliIo, type OutputStream } from './io.js';
import { simulateInterleavingOptionsFrom, simulateOptionsFrom } from './simulate-flags.js';
import { outputPath } from './output-file.js';

export const SIMULATE_HELP = `Usage: bucketry simulate --users <n> --rollout <percent> [flags]

Writes a realistic export, in time order, for trying the analysis: users arrive over the days with
a daily rhythm and come back for a few sessions; each session has an exposure (assigned by
@bucketry/core), a skill_tree_loaded event with duration_ms, sometimes session_started_from_tree
or skill_tree_error, and unrelated page views. Deterministic for a seed.

  --users <n>              users to simulate
  --rollout <percent>      percent that get the treatment (0–100)
  --seed <n>               default 1
  --format <segment|amplitude>   default segment
  --experiment <key>       default skill_tree_layout
  --variants <control,treatment> default tree,list
  --start <iso>            default 2025-06-02T00:00:00.000Z
  --days <n>               days over which users arrive (default 2)
  --conversion <rate>      control's chance per session of session_started_from_tree (default 0.3)
  --lift <relative>        treatment's relative effect on it, e.g. 0.05 or -5% (default 0)
  --error-rate <rate>      chance per session of skill_tree_error (default 0.01)
  --latency-ms <ms>        median skill_tree_loaded duration (default 800)
  --srm                    lose every event of 20% of the treatment's users (a sample ratio mismatch)
  --mixed-units <share>    users whose later sessions show the other variant (default 0)
  --bad-lines <n>          about this many malformed lines (default 0)
  --noise <n>              unrelated page views per session on average (default 2)
  --out <file>             write there instead of stdout (gzip when it ends in .gz; its folder is made if missing)
  --interleaving           an interleaving experiment instead: --impressions lists merged from two
                           rankers by core's interleave, clicks won by B with chance --preference
  --impressions <n>        lists shown, with --interleaving
  --preference <share>     the true share of decided impressions won by B, e.g. 0.55
  --click-rate <rate>      chance that a list is clicked (default 0.6)
  --method <team-draft|balanced>  default team-draft`;

const FLAGS = {
  users: { type: 'string' },
  rollout: { type: 'string' },
  seed: { type: 'string' },
  format: { type: 'string' },
  experiment: { type: 'string' },
  variants: { type: 'string' },
  start: { type: 'string' },
  days: { type: 'string' },
  conversion: { type: 'string' },
  lift: { type: 'string' },
  'error-rate': { type: 'string' },
  'latency-ms': { type: 'string' },
  srm: { type: 'boolean' },
  'mixed-units': { type: 'string' },
  'bad-lines': { type: 'string' },
  noise: { type: 'string' },
  out: { type: 'string' },
  interleaving: { type: 'boolean' },
  impressions: { type: 'string' },
  preference: { type: 'string' },
  'click-rate': { type: 'string' },
  method: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Lines joined into chunks of about 64 KB, so writing costs little per line. */
function* chunks(lines: Iterable<string>): Generator<string> {
  let buffer = '';
  for (const line of lines) {
    buffer += line + '\n';
    if (buffer.length >= 65_536) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

/** `bucketry simulate`. */
export async function simulateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('simulate', args, FLAGS);
  if (values.help) return printHelp(io, SIMULATE_HELP);
  const lines = values.interleaving ? simulateInterleavingExport(simulateInterleavingOptionsFrom(values)) : simulateExport(simulateOptionsFrom(values));
  const source = Readable.from(chunks(lines));
  if (values.out !== undefined) {
    const file = createWriteStream(await outputPath(io.cwd, values.out));
    if (values.out.endsWith('.gz')) await pipeline(source, createGzip(), file);
    else await pipeline(source, file);
    return EXIT.healthy;
  }
  // Honour backpressure: a large simulation piped into a slow reader must not pile up in memory.
  const out = io.stdout as OutputStream & Partial<EventEmitter>;
  for await (const chunk of source) {
    if (out.write(chunk as string) === false && typeof out.once === 'function') await once(out as EventEmitter, 'drain');
  }
  return EXIT.healthy;
}
