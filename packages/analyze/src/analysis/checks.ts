// The checks behind the decision, each with its status, what it recommends and why.
import { count, counted, decimal, percent } from '../format/numbers.js';
import { formatDuration } from '../policy/quantities.js';
import type { Balance } from './balance.js';
import type { GuardrailResult } from './guardrails.js';
import { significantHarmChecks } from './metric-harm.js';
import type { MetricResult } from './metrics.js';
import type { ResolvedOptions } from './options.js';
import type { Outcome } from './outcome.js';
import type { VariantSummary } from './report.js';
import { chiSquareText, sampleRatioTestsText, type SampleRatioCheck } from './srm.js';

/** Share of exposed units in several variants above which the check warns. */
export const MIXED_UNITS_WARN_SHARE = 0.01;

/**
 * One check behind the decision.
 *
 * @example
 * ```ts
 * const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.message);
 * ```
 */
export interface Check {
  /** `srm`, `missing-variant`, `success-metric`, `mixed-units`, `config-versions`, `balance`, `bad-lines` or `guardrail`. */
  readonly check: string;
  /**
   * `fail` decides (its outcome), `warn` asks for attention, `pass` is a test passed, `info` is
   * information (units left out below the warning threshold), `not-applicable` when there is
   * nothing to test (the sample ratio at 100% rollout).
   */
  readonly status: 'pass' | 'info' | 'warn' | 'fail' | 'not-applicable';
  readonly outcome: Outcome;
  readonly message: string;
}

const STATUS_RANK = { fail: 0, warn: 1, info: 2, pass: 3, 'not-applicable': 4 } as const;

/** Orders checks failed first, then warnings, information, passes, and those that did not apply. */
export const byStatus = (a: Check, b: Check): number => STATUS_RANK[a.status] - STATUS_RANK[b.status];

/** What {@link buildChecks} judges. */
export interface CheckInputs {
  readonly options: ResolvedOptions;
  readonly variants: readonly VariantSummary[];
  readonly srm: SampleRatioCheck;
  readonly metrics: readonly MetricResult[];
  readonly mixedUnits: number;
  /** Units exposed to one variant or several. */
  readonly exposedUnits: number;
  readonly configVersions: readonly string[];
  readonly balance: Balance;
  readonly badLines: number;
  readonly badLinesByCategory: ReadonlyMap<string, number>;
  readonly guardrails: readonly GuardrailResult[];
}

/** The checks, in the order the report lists them: sample ratio, variants without units, success metrics, units in several variants, config versions, balance, bad lines, guardrails. */
export function buildChecks(input: CheckInputs): Check[] {
  const checks: Check[] = [];
  const { options, srm, metrics, balance, guardrails } = input;
  const variantSummaries = input.variants;
  const srmLine = `${sampleRatioTestsText(srm)}; units ${variantSummaries.map((v, i) => `${v.name} ${count(v.units)} (expected ${count(srm.expectedUnits[i]!)})`).join(', ')}`;
  checks.push(
    srm.status === 'not-applicable'
      ? { check: 'srm', status: 'not-applicable', outcome: 'proceed', message: `Sample ratio: ${chiSquareText(srm)}` }
      : srm.status === 'fail'
      ? { check: 'srm', status: 'fail', outcome: options.srm.onFail, message: `Sample ratio mismatch: ${srmLine}; p < ${options.srm.failBelow}, so the split is not what the weights say and the results cannot be trusted until the cause is found` }
      : srm.status === 'warn'
        ? { check: 'srm', status: 'warn', outcome: 'proceed', message: `Possible sample ratio mismatch: ${srmLine}; p < ${options.srm.warnBelow}, watch it` }
        : { check: 'srm', status: 'pass', outcome: 'proceed', message: `No sample ratio mismatch: ${srmLine}` },
  );
  for (const v of variantSummaries) {
    if (v.units === 0 && v.expectedShare > 0) {
      checks.push({ check: 'missing-variant', status: 'fail', outcome: 'hold', message: `Variant ${v.name} has no units, but its weight is ${percent(v.expectedShare, 1)}` });
    }
  }
  checks.push(...significantHarmChecks(metrics, options.onSignificantHarm, options.sequential.decides));
  if (input.mixedUnits > 0) {
    const share = input.mixedUnits / input.exposedUnits;
    checks.push({
      check: 'mixed-units',
      // Below the threshold it is information, not a test that passed.
      status: share > MIXED_UNITS_WARN_SHARE ? 'warn' : 'info',
      outcome: 'proceed',
      message: `${counted(input.mixedUnits, 'unit')} (${percent(share)}) exposed to more than one variant, left out${share > MIXED_UNITS_WARN_SHARE ? ': more than 1%, look for bucketing or identity problems' : ''}`,
    });
  }
  const versions = input.configVersions;
  if (options.configVersion === undefined && versions.length > 1) {
    checks.push({
      check: 'config-versions',
      status: 'warn',
      outcome: 'proceed',
      message: `Exposures span ${versions.length} config versions (${versions.slice(0, 5).join(', ')}${versions.length > 5 ? ', …' : ''}): stages with different weights must not be pooled; analyse one with --config-version`,
    });
  }
  if (balance.flaggedBuckets > 0) {
    checks.push({
      check: 'balance',
      status: 'warn',
      outcome: 'proceed',
      message:
        `${balance.flaggedBuckets} of ${balance.judgedBuckets} judged ${formatDuration(balance.intervalMs)} buckets have a variant's share outside its tolerance (±${balance.tolerancePoints.map((t) => decimal(t, 1)).join('/')} points)` +
        (balance.falseAlarmRate === null ? '' : `; an even split is flagged by chance in ${percent(balance.falseAlarmRate)} of judged buckets (of ${count(balance.minUnits)} units; fewer in larger ones)`),
    });
  }
  if (input.badLines > 0) {
    checks.push({ check: 'bad-lines', status: 'warn', outcome: 'proceed', message: `${counted(input.badLines, 'bad line')} skipped (${[...input.badLinesByCategory].map(([c, n]) => `${c}: ${count(n)}`).join(', ')})` });
  }
  for (const g of guardrails) {
    if (!g.measured) {
      checks.push({ check: 'guardrail', status: 'warn', outcome: 'proceed', message: `Guardrail ${g.label}: not measured, ${g.note} (zero of them, or not instrumented under this name?)` });
      continue;
    }
    const status = g.outcome === 'proceed' ? 'pass' : 'fail';
    const arms = g.arms.length > 0 ? g.arms.map((a) => a.message).join('; ') : 'no data';
    checks.push({ check: 'guardrail', status, outcome: g.outcome, message: `Guardrail ${g.label}: ${g.outcome} (${arms})` });
  }

  return checks;
}
