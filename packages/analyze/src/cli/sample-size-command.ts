import { count, percent } from '../format/numbers.js';
import { sampleSizePerVariant } from '@bucketry/stats';
import { choiceFlag, numberFlag, numberListFlag, parseFlags, required } from './flags.js';
import { EXIT, printHelp, UsageError, type CliIo } from './io.js';

export const SAMPLE_SIZE_HELP = `Usage: bucketry sample-size --baseline <rate> --mde <effect> [flags]

Units per variant for a two-sided two-proportion z-test.

  --baseline <rate>      control's conversion rate, e.g. 0.10 or 10%
  --mde <effect>         smallest effect to detect: absolute (0.01 = 1 point) unless --relative
  --relative             read --mde relative to the baseline (0.05 = +5%)
  --alpha <level>        two-sided significance level (default 0.05); split over comparisons with control
  --power <p>            chance of detecting the effect (default 0.8)
  --variants <k>         arms including control (default 2)
  --weights <w1,w2,…>    traffic split, control first (default equal)
  --format <text|json>   default text`;

const FLAGS = {
  baseline: { type: 'string' },
  mde: { type: 'string' },
  relative: { type: 'boolean' },
  alpha: { type: 'string' },
  power: { type: 'string' },
  variants: { type: 'string' },
  weights: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `bucketry sample-size`. */
export function sampleSizeCommand(args: readonly string[], io: CliIo): number {
  const { values } = parseFlags('sample-size', args, FLAGS);
  if (values.help) return printHelp(io, SAMPLE_SIZE_HELP);
  const baseline = numberFlag('baseline', required('baseline', values.baseline, "control's conversion rate, e.g. --baseline 0.10"), { min: 0, max: 1, exclusive: true, percent: true });
  const mde = numberFlag('mde', required('mde', values.mde, 'the smallest effect worth detecting, e.g. --mde 0.05 --relative'), { percent: true });
  if (mde === 0) throw new UsageError(`--mde "${values.mde}": must not be 0`);
  const relative = values.relative ?? false;
  const alpha = values.alpha === undefined ? 0.05 : numberFlag('alpha', values.alpha, { min: 0, max: 1, exclusive: true, percent: true });
  const power = values.power === undefined ? 0.8 : numberFlag('power', values.power, { min: 0, max: 1, exclusive: true, percent: true });
  const weights = values.weights === undefined ? undefined : numberListFlag('weights', values.weights, undefined, 'control first');
  const variants = values.variants === undefined ? weights?.length ?? 2 : numberFlag('variants', values.variants, { min: 2, integer: true });
  if (weights !== undefined && weights.length !== variants) throw new UsageError(`--weights "${values.weights}": must have ${variants} numbers, one per variant (--variants ${variants})`);
  if (weights?.some((w) => w === 0)) throw new UsageError(`--weights "${values.weights}": every arm needs a weight above 0`);
  const treatmentRate = relative ? baseline * (1 + mde) : baseline + mde;
  if (!(treatmentRate > 0 && treatmentRate < 1)) {
    throw new UsageError(`--mde "${values.mde}": the treatment's rate would be ${+treatmentRate.toFixed(6)}, must be between 0 and 1`);
  }
  const format = choiceFlag('format', values.format ?? 'text', ['text', 'json'] as const);
  const result = sampleSizePerVariant({ baseline, mde, relative, alpha, power, variants, ...(weights ? { weights } : {}) });
  if (format === 'json') {
    io.stdout.write(JSON.stringify({ baseline, mde, relative, alpha, power, variants, weights: weights ?? null, ...result }, null, 2) + '\n');
    return EXIT.healthy;
  }
  const effect = relative ? `${percent(mde, 1, true)} relative` : `${(mde * 100 > 0 ? '+' : '') + +(mde * 100).toFixed(4)} points`;
  const lines = [
    'Sample size for a two-sided two-proportion z-test',
    `  baseline ${percent(baseline)} → treatment ${percent(result.treatmentRate)} (${effect}); alpha ${alpha}${variants > 2 ? ` (${+result.comparisonAlpha.toFixed(6)} per comparison, Bonferroni)` : ''}, power ${power}`,
  ];
  const equal = result.perVariant.every((n) => n === result.perVariant[0]);
  if (equal) lines.push(`  ${count(result.perVariant[0]!)} units per variant, ${count(result.total)} in total (${variants} variants)`);
  else lines.push(`  units per variant: ${result.perVariant.map((n, i) => `${i === 0 ? 'control' : `treatment ${i}`} ${count(n)}`).join(', ')}; ${count(result.total)} in total`);
  io.stdout.write(lines.join('\n') + '\n');
  return EXIT.healthy;
}
