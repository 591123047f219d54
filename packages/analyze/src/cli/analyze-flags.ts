// `bucketry analyze`'s flags: the help, the flag table, and the options they make (over a policy).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_MAX_BAD_LINE_EXAMPLES, MAX_THREADS, type AnalyzeOptions } from '../analysis/options.js';
import { parseGuardrailSpec, GUARDRAIL_FORMS } from '../policy/guardrail-spec.js';
import { PolicyError, validatePolicy, type Policy } from '../policy/policy.js';
import { PRESETS } from '../policy/presets.js';
import { parseRatioSpec, parseValueSpec } from '../policy/value-spec.js';
import { MIN_CUPED_WINDOW_MS } from '../analysis/cuped-options.js';
import { MAX_SEGMENTS } from '../analysis/segment-options.js';
import { choiceFlag, durationFlag, jsonFileFlag, numberFlag, numberListFlag, type ParsedFlags } from './flags.js';
import { UsageError } from './io.js';
import { ANALYZE_INTERLEAVING_HELP } from './interleaving-command.js';
import { ENGINE_FLAGS, ENGINE_HELP } from '../warehouse/engine-flags.js';

export const ANALYZE_HELP = `Usage: bucketry analyze <file.jsonl | file.jsonl.gz | pipe | -> [flags]

Reads a Segment- or Amplitude-style export (detected per line; gzip detected from the bytes) and
checks one experiment: sample ratio, exposure balance over time, conversion lift, guardrails.
A named pipe, e.g. <(zcat export.jsonl.gz), is read as a stream; - reads stdin. UTF-8 only.

  --experiment <key>          the experiment key on the exposures (or from --policy)
  --expected-variant <name>   repeat for each variant, control first (or from --policy)
  --weights <w1,w2,…>         expected split, e.g. 90,10 (default equal)
  --metric <event>            a success metric (repeatable): units with the event after exposure
  --value <event>.<property>  a numeric property (repeatable), e.g. llm_call.cost_usd: each unit's
                              total and mean, compared on units (Welch)
  --ratio <num>/<den>         a ratio of per-unit sums (repeatable), each <event>.<property> or
                              <event> for its count, e.g. cache_lookup.hit/cache_lookup
  --funnel <e1,e2,…>          a funnel (repeatable): units with each of the first k events after
                              exposure, per step and variant, each step's reach compared
  --segment <property>        slice by an exposure property or user trait (repeatable, or a,b),
                              e.g. role, region: units and each metric per slice, Holm over the
                              slices; the value on a unit's first exposure counts; never decides
  --segment-min-units <n>     slices with an arm under n units are flagged small (default 100)
  --cuped <window>            CUPED, e.g. 14d: success metrics, durations and value totals adjusted
                              by the same metric over each unit's events in the window before its
                              first exposure; reported beside the unadjusted tests, which decide
  --guardrail <spec>          repeatable; one of:
                                ${GUARDRAIL_FORMS.join('\n                                ')}
  --policy <preset | file>    ${Object.keys(PRESETS).join(', ')}, or a policy JSON file
  --config-version <v>        only exposures of this config version (one ramp stage)
  --interval <duration>       time buckets for exposure balance, e.g. 10m (default: chosen from the
                              data, the finest round width at which most units can be judged)
  --balance-tolerance <pts>   allowed deviation of a share, percentage points (default 10·√(w(1−w)))
  --balance-min-units <n>     buckets with fewer units are not judged (default: where the tolerance
                              spans 3 standard errors, 900 units with the default tolerance)
  --confidence <level>        two-sided interval level (default 0.95)
  --srm-test <test>           chi-square (default; valid for one look) or sequential (anytime-valid:
                              use it when the same experiment is analysed again and again)
  --sequential                decide on the always-valid lift tests (mSPRT) instead of the
                              fixed-horizon ones: for an experiment analysed again and again
  --sequential-horizon <n>    units (both arms) near which the always-valid intervals are
                              narrowest (default 10000)
  --strict                    parse every line, even those naming nothing the analysis uses
  --max-bad-lines <n>         bad lines to list (default ${DEFAULT_MAX_BAD_LINE_EXAMPLES}; all are counted)
  --threads <n>               worker threads parsing lines (default 2 for files of 64 MiB or more when
                              three cores are free, else 0; the report is the same)
  --format <text|json|html>   default text
  --out <file>                write the report there instead of stdout (its folder is made if missing)
${ENGINE_HELP}
${ANALYZE_INTERLEAVING_HELP}

Exit codes: 0 decision proceed, 1 hold or rollback (a check failed), 2 unusable input or bad flags.`;

export const ANALYZE_FLAGS = {
  experiment: { type: 'string' },
  'expected-variant': { type: 'string', multiple: true },
  weights: { type: 'string' },
  metric: { type: 'string', multiple: true },
  value: { type: 'string', multiple: true },
  ratio: { type: 'string', multiple: true },
  funnel: { type: 'string', multiple: true },
  guardrail: { type: 'string', multiple: true },
  segment: { type: 'string', multiple: true },
  'segment-min-units': { type: 'string' },
  cuped: { type: 'string' },
  policy: { type: 'string' },
  'config-version': { type: 'string' },
  interval: { type: 'string' },
  'balance-tolerance': { type: 'string' },
  'balance-min-units': { type: 'string' },
  confidence: { type: 'string' },
  'srm-test': { type: 'string' },
  sequential: { type: 'boolean' },
  'sequential-horizon': { type: 'string' },
  strict: { type: 'boolean' },
  'max-bad-lines': { type: 'string' },
  threads: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  interleaving: { type: 'boolean' },
  'click-event': { type: 'string' },
  ...ENGINE_FLAGS,
  help: { type: 'boolean', short: 'h' },
} as const;

/** A preset by name, else a policy JSON file. */
export function loadPolicy(value: string, cwd: string): Policy {
  // Own keys only: `constructor` or `toString` is no preset.
  if (Object.hasOwn(PRESETS, value)) return PRESETS[value]!;
  if (!existsSync(resolve(cwd, value))) throw new UsageError(`--policy "${value}": not a preset (${Object.keys(PRESETS).join(', ')}) and no such file`);
  try {
    return validatePolicy(jsonFileFlag('policy', value, cwd));
  } catch (error) {
    if (error instanceof PolicyError) throw new UsageError(`--policy ${value}: ${error.message}`);
    throw error;
  }
}

/** Turns the flags (over the policy) into analysis options, checking each. */
export function analyzeOptionsFrom(values: ParsedFlags<typeof ANALYZE_FLAGS>['values'], cwd: string): AnalyzeOptions {
  const policy = values.policy === undefined ? {} : loadPolicy(values.policy, cwd);
  const experiment = values.experiment ?? policy.experiment;
  if (experiment === undefined || experiment === '') {
    throw new UsageError('missing --experiment: name the experiment key on the exposures, e.g. --experiment skill_tree_layout');
  }
  const variants = values['expected-variant'] ?? policy.variants;
  if (variants === undefined || variants.length < 2) {
    throw new UsageError(
      `--expected-variant given ${variants?.length ?? 0} time(s)${variants?.length ? ` (${variants.join(', ')})` : ''}: give every variant, at least two, control first, e.g. --expected-variant tree --expected-variant list`,
    );
  }
  variants.forEach((v, i) => {
    if (variants.indexOf(v) !== i) throw new UsageError(`--expected-variant "${v}" is given twice: variants must be unique`);
  });
  let weights = policy.weights;
  if (values.weights !== undefined) weights = numberListFlag('weights', values.weights, variants.length, `one per variant: ${variants.join(', ')}`);
  else if (weights !== undefined && weights.length !== variants.length) {
    throw new UsageError(`--policy ${values.policy} has weights ${weights.join(',')} for ${weights.length} variants, but ${variants.length} are expected (${variants.join(', ')}): give --weights`);
  }
  const valueSpecs = [...(policy.values ?? []), ...(values.value ?? []).map((text) => specFlag('value', text, parseValueSpec))];
  const ratioSpecs = [...(policy.ratios ?? []), ...(values.ratio ?? []).map((text) => specFlag('ratio', text, parseRatioSpec))];
  const funnels = [...(policy.funnels ?? []), ...(values.funnel ?? []).map((text) => funnelFlag(text))];
  const guardrails = [...(policy.guardrails ?? []), ...(values.guardrail ?? []).map((text) => specFlag('guardrail', text, parseGuardrailSpec))];
  const tolerance = values['balance-tolerance'] ?? policy.balance?.tolerancePoints?.toString();
  const minUnits = values['balance-min-units'] ?? policy.balance?.minUnits?.toString();
  const horizon = values['sequential-horizon'] === undefined ? policy.sequentialHorizon : numberFlag('sequential-horizon', values['sequential-horizon'], { min: 1, integer: true });
  return {
    experiment,
    variants,
    ...(weights === undefined ? {} : { weights }),
    metrics: [...(policy.metrics ?? []), ...(values.metric ?? [])],
    ...(valueSpecs.length === 0 ? {} : { values: valueSpecs }),
    ...(ratioSpecs.length === 0 ? {} : { ratios: ratioSpecs }),
    ...(funnels.length === 0 ? {} : { funnels }),
    ...(policy.onSignificantHarm === undefined ? {} : { onSignificantHarm: policy.onSignificantHarm }),
    guardrails,
    ...(policy.srm === undefined && values['srm-test'] === undefined
      ? {}
      : { srm: { ...policy.srm, ...(values['srm-test'] === undefined ? {} : { test: choiceFlag('srm-test', values['srm-test'], ['chi-square', 'sequential'] as const) }) } }),
    ...(values.sequential ?? policy.sequential ? { sequential: true } : {}),
    ...(horizon === undefined ? {} : { sequentialHorizon: horizon }),
    ...(values.interval === undefined ? {} : { intervalMs: durationFlag('interval', values.interval, 1000) }),
    ...(tolerance === undefined ? {} : { balanceTolerancePoints: numberFlag('balance-tolerance', tolerance, { min: 0, max: 100, exclusive: true }) }),
    ...(minUnits === undefined ? {} : { balanceMinUnits: numberFlag('balance-min-units', minUnits, { min: 1, integer: true }) }),
    ...(values['config-version'] === undefined ? {} : { configVersion: values['config-version'] }),
    ...(values.confidence === undefined ? {} : { confidence: numberFlag('confidence', values.confidence, { min: 0, max: 1, exclusive: true }) }),
    ...(values['max-bad-lines'] === undefined ? {} : { maxBadLineExamples: numberFlag('max-bad-lines', values['max-bad-lines'], { min: 0, integer: true }) }),
    strict: values.strict ?? false,
    ...segmentAndCupedOptions(values),
    ...(values.threads === undefined ? {} : { threads: numberFlag('threads', values.threads, { min: 0, max: MAX_THREADS, integer: true }) }),
  };
}

/** `--segment` (repeatable, or comma-separated), `--segment-min-units` and `--cuped`. */
function segmentAndCupedOptions(values: ParsedFlags<typeof ANALYZE_FLAGS>['values']): Pick<AnalyzeOptions, 'segments' | 'segmentMinUnits' | 'cupedWindowMs'> {
  const segments = (values.segment ?? []).flatMap((text) => text.split(',').map((name) => name.trim()));
  segments.forEach((name, i) => {
    if (name === '') throw new UsageError(`--segment "${values.segment!.join(',')}": must name properties, e.g. --segment role,region`);
    if (segments.indexOf(name) !== i) throw new UsageError(`--segment "${name}" is given twice: segment properties must be unique`);
  });
  if (segments.length > MAX_SEGMENTS) throw new UsageError(`--segment given ${segments.length} properties (${segments.join(', ')}): at most ${MAX_SEGMENTS}`);
  return {
    ...(segments.length === 0 ? {} : { segments }),
    ...(values['segment-min-units'] === undefined ? {} : { segmentMinUnits: numberFlag('segment-min-units', values['segment-min-units'], { min: 1, integer: true }) }),
    ...(values.cuped === undefined ? {} : { cupedWindowMs: durationFlag('cuped', values.cuped, MIN_CUPED_WINDOW_MS) }),
  };
}

/** A flag's spec read by `parse`, its {@link PolicyError} a usage error naming the flag. */
function specFlag<T>(flag: string, text: string, parse: (text: string) => T): T {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof PolicyError) throw new UsageError(`--${flag} ${error.message}`);
    throw error;
  }
}

/** `--funnel a,b,c`: two or more different event names. */
function funnelFlag(text: string): string[] {
  const steps = text.split(',').map((step) => step.trim());
  if (steps.length < 2 || steps.some((step) => step === '') || new Set(steps).size !== steps.length) {
    throw new UsageError(`--funnel "${text}": must be two or more different event names, comma-separated, e.g. add_to_cart,checkout,purchase`);
  }
  return steps;
}
