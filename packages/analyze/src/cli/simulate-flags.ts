// `bucketry simulate`'s flags read into the options of either simulator: the plain export
// (simulate/simulate.ts) or, with --interleaving, the interleaving one (simulate/interleaving.ts).
import type { InterleavingSimulateOptions } from '../simulate/interleaving.js';
import type { SimulateOptions } from '../simulate/simulate.js';
import { choiceFlag, numberFlag, required } from './flags.js';
import { UsageError } from './io.js';

type FlagValues = Record<string, string | boolean | undefined>;

/** The flags only the plain simulator takes, and those only --interleaving takes: each refused with the other. */
const PLAIN_ONLY = ['users', 'rollout', 'lift', 'conversion', 'srm', 'variants'];
const INTERLEAVING_ONLY = ['impressions', 'preference', 'click-rate', 'method'];

/** Readers of the flags' text: a string, or a number checked against its rule. */
function readers(values: FlagValues) {
  const text = (flag: string) => values[flag] as string | undefined;
  const num = (flag: string, rule: Parameters<typeof numberFlag>[2]) => (text(flag) === undefined ? undefined : numberFlag(flag, text(flag)!, rule));
  return { text, num };
}

/** The flags both simulators read the same way: --seed, --format, --experiment, --days, --start. */
function sharedOptions(values: FlagValues) {
  const { text, num } = readers(values);
  const start = text('start');
  if (start !== undefined && Number.isNaN(Date.parse(start))) throw new UsageError(`--start "${start}": must be an ISO 8601 date-time, e.g. 2025-06-02T00:00:00Z`);
  return {
    seed: num('seed', { min: 0, max: 2 ** 32 - 1, integer: true }),
    format: text('format') === undefined ? undefined : choiceFlag('format', text('format')!, ['segment', 'amplitude'] as const),
    experiment: text('experiment'),
    days: num('days', { min: 0, exclusive: true }),
    start: start === undefined ? undefined : new Date(Date.parse(start)).toISOString(),
  };
}

/** Reads the flags into {@link SimulateOptions}; the --interleaving flags are refused. */
export function simulateOptionsFrom(values: FlagValues): SimulateOptions {
  const other = INTERLEAVING_ONLY.find((flag) => values[flag] !== undefined);
  if (other !== undefined) throw new UsageError(`--${other} applies only with --interleaving (an interleaving export)`);
  const { text, num } = readers(values);
  let variants: [string, string] | undefined;
  if (text('variants') !== undefined) {
    const names = text('variants')!.split(',').map((v) => v.trim());
    if (names.length !== 2 || names.some((v) => v === '') || names[0] === names[1]) {
      throw new UsageError(`--variants "${text('variants')}": must be two different names, control first, e.g. tree,list`);
    }
    variants = [names[0]!, names[1]!];
  }
  // Flags not given are undefined, which the simulators read as their defaults.
  return {
    users: numberFlag('users', required('users', text('users'), 'how many users to simulate, e.g. --users 10000'), { min: 1, integer: true }),
    rollout: numberFlag('rollout', required('rollout', text('rollout'), 'percent of users that get the treatment, e.g. --rollout 10'), { min: 0, max: 100 }),
    ...sharedOptions(values),
    variants,
    conversion: num('conversion', { min: 0, max: 1, percent: true }),
    lift: num('lift', { min: -1, percent: true }),
    errorRate: num('error-rate', { min: 0, max: 1, percent: true }),
    latencyMs: num('latency-ms', { min: 0, exclusive: true }),
    srm: values.srm === true,
    mixedUnits: num('mixed-units', { min: 0, max: 1, percent: true }),
    badLines: num('bad-lines', { min: 0, integer: true }),
    noise: num('noise', { min: 0 }),
  };
}

/** Reads `bucketry simulate --interleaving`'s flags into {@link InterleavingSimulateOptions}; the plain simulator's are refused. */
export function simulateInterleavingOptionsFrom(values: FlagValues): InterleavingSimulateOptions {
  const other = PLAIN_ONLY.find((flag) => values[flag] !== undefined);
  if (other !== undefined) throw new UsageError(`--${other} does not apply with --interleaving (give --impressions and --preference)`);
  const { text, num } = readers(values);
  return {
    impressions: numberFlag('impressions', required('impressions', text('impressions'), 'how many lists to show, e.g. --impressions 50000'), { min: 1, integer: true }),
    preference: numberFlag('preference', required('preference', text('preference'), 'the share of decided impressions B wins, e.g. --preference 0.55'), { min: 0, max: 1, percent: true }),
    ...sharedOptions(values),
    method: text('method') === undefined ? undefined : choiceFlag('method', text('method')!, ['team-draft', 'balanced'] as const),
    clickRate: num('click-rate', { min: 0, max: 1, percent: true }),
  };
}
