import { assignVariant, defineExperiment, experimentFromJSON, ExperimentConfigError, type Attributes, type Experiment } from '@bucketry/core';
import { count } from '../format/numbers.js';
import { choiceFlag, jsonFileFlag, numberFlag, numberListFlag, parseFlags, required } from './flags.js';
import { EXIT, printHelp, UsageError, type CliIo } from './io.js';

export const ASSIGN_HELP = `Usage: bucketry assign --experiment <key> --unit <id> [--unit <id> …] [flags]

Which variant a unit gets, with the reason and the bucket, computed by @bucketry/core exactly as
your service computes it.

  --experiment <key>       the experiment key
  --unit <id>              the unit id (repeatable)
  --config <file>          experiment configs as JSON: one object, an array, or { "experiments": [...] }
  --variants <a,b,…>       without --config: the variants, control first (default control,treatment)
  --rollout <percent>      without --config: percent of units that get a treatment
  --weights <w1,w2,…>      without --config: relative weights, one per variant
  --attributes <json>      attributes for eligibility rules, e.g. '{"country":"de"}'
  --format <text|json>     default text`;

const FLAGS = {
  experiment: { type: 'string' },
  unit: { type: 'string', multiple: true },
  config: { type: 'string' },
  variants: { type: 'string' },
  rollout: { type: 'string' },
  weights: { type: 'string' },
  attributes: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function experimentFromConfigFile(file: string, key: string, cwd: string): Experiment {
  const parsed = jsonFileFlag('config', file, cwd);
  const list: unknown[] = Array.isArray(parsed)
    ? parsed
    : parsed !== null && typeof parsed === 'object' && Array.isArray((parsed as { experiments?: unknown }).experiments)
      ? (parsed as { experiments: unknown[] }).experiments
      : [parsed];
  const keys = list.map((c) => (c !== null && typeof c === 'object' ? (c as { key?: unknown }).key : undefined));
  const index = keys.indexOf(key);
  if (index === -1) throw new UsageError(`--experiment "${key}" is not in --config ${file} (it has: ${keys.map(String).join(', ') || 'no experiments'})`);
  try {
    return experimentFromJSON(list[index] as Parameters<typeof experimentFromJSON>[0]);
  } catch (error) {
    if (error instanceof ExperimentConfigError) throw new UsageError(`--config ${file}, experiment "${key}": ${error.message}`);
    throw error;
  }
}

/** `bucketry assign`. */
export function assignCommand(args: readonly string[], io: CliIo): number {
  const { values } = parseFlags('assign', args, FLAGS);
  if (values.help) return printHelp(io, ASSIGN_HELP);
  const key = required('experiment', values.experiment, 'the experiment key, e.g. --experiment skill_tree_layout');
  const units = values.unit ?? [];
  if (units.length === 0) throw new UsageError('missing --unit: the unit id to assign, e.g. --unit user-42');
  const format = choiceFlag('format', values.format ?? 'text', ['text', 'json'] as const);
  let attributes: Attributes | undefined;
  if (values.attributes !== undefined) {
    try {
      attributes = JSON.parse(values.attributes) as Attributes;
    } catch {
      throw new UsageError(`--attributes "${values.attributes}": must be a JSON object, e.g. '{"country":"de"}'`);
    }
    if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) {
      throw new UsageError(`--attributes "${values.attributes}": must be a JSON object, e.g. '{"country":"de"}'`);
    }
  }

  let experiment: Experiment;
  if (values.config !== undefined) {
    for (const flag of ['variants', 'rollout', 'weights'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} cannot be combined with --config: the config file sets it`);
    }
    experiment = experimentFromConfigFile(values.config, key, io.cwd);
  } else {
    const variants = (values.variants ?? 'control,treatment').split(',').map((v) => v.trim());
    const rollout = values.rollout === undefined ? undefined : numberFlag('rollout', values.rollout, { min: 0, max: 100 });
    const weights = values.weights === undefined ? undefined : numberListFlag('weights', values.weights, variants.length, `one per variant: ${variants.join(', ')}`);
    try {
      experiment = defineExperiment({ key, variants, ...(rollout === undefined ? {} : { rollout }), ...(weights === undefined ? {} : { weights }) });
    } catch (error) {
      if (error instanceof ExperimentConfigError) throw new UsageError(`experiment from flags: ${error.message}`);
      throw error;
    }
  }

  const assignments = units.map((unit) => assignVariant(experiment, unit, attributes));
  if (format === 'json') {
    const rows = assignments.map((a) => ({ experiment: a.experiment, unit: a.unit, variant: a.variant, reason: a.reason, bucket: a.bucket, inExperiment: a.inExperiment, configVersion: experiment.version }));
    io.stdout.write(JSON.stringify(rows.length === 1 ? rows[0] : rows, null, 2) + '\n');
    return EXIT.healthy;
  }
  for (const a of assignments) {
    const bucket = a.bucket >= 0 ? `bucket ${count(a.bucket)} of 1,000,000` : 'no bucket';
    io.stdout.write(`${a.experiment}  ${a.unit || '(missing unit)'}  →  ${a.variant}  (reason ${a.reason}, ${bucket}, ${a.inExperiment ? 'in the experiment' : 'not in the experiment'}; config version ${experiment.version})\n`);
  }
  return EXIT.healthy;
}
