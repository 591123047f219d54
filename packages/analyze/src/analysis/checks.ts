// The checks behind the decision, each with its status, what it recommends and the numbers behind
// it, as plain data: format/check-text.ts words them.
import type { Outcome } from '../policy/outcome.js';
import type { Balance } from './balance.js';
import type { GuardrailResult } from './guardrails.js';
import { significantHarmChecks } from './metric-harm.js';
import type { MetricResult } from './metrics.js';
import type { ResolvedOptions } from './options.js';
import type { SampleRatioCheck } from './srm.js';

/** Share of exposed units in several variants above which the check warns. */
export const MIXED_UNITS_WARN_SHARE = 0.01;

/**
 * A treatment whose success-metric rate is significantly below control's (after the Holm
 * correction): both rates, the relative lift (`null` over a zero rate) and the adjusted p-value.
 *
 * @example
 * ```ts
 * const [harm] = check.check === 'success-metric' ? check.harmed : [];
 * ```
 */
export interface HarmedComparison {
  readonly treatment: string;
  readonly control: string;
  readonly treatmentRate: number;
  readonly controlRate: number;
  readonly relativeLift: number | null;
  readonly adjustedPValue: number;
}

/**
 * One check behind the decision, as data; what each kind carries besides `status` and `outcome`:
 * - `srm`: `threshold`, the policy's p-value limit it was judged by (failBelow or warnBelow; `null` on a pass); the numbers are `report.srm`'s;
 * - `missing-variant`: the `variant` with no units and its `expectedShare`;
 * - `success-metric`: the `metric`, the `harmed` treatments, and whether the always-valid tests judged (`alwaysValid`);
 * - `mixed-units`: `units` in several variants, left out, and their `share` of the exposed units;
 * - `config-versions`: the `versions` the exposures span;
 * - `balance`: `flaggedBuckets` of `judgedBuckets` (the rest is `report.balance`);
 * - `bad-lines`: their `count` and `byReason`;
 * - `guardrail`: the index of the guardrail in `report.guardrails`.
 *
 * `status`: `fail` decides (its outcome), `warn` asks for attention, `pass` is a test passed,
 * `info` is information (units left out below the warning threshold), `not-applicable` when there
 * is nothing to test (the sample ratio at 100% rollout).
 *
 * @example
 * ```ts
 * const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.check);
 * ```
 */
export type Check = { readonly status: 'pass' | 'info' | 'warn' | 'fail' | 'not-applicable'; readonly outcome: Outcome } & (
  | { readonly check: 'srm'; readonly threshold: number | null }
  | { readonly check: 'missing-variant'; readonly variant: string; readonly expectedShare: number }
  | { readonly check: 'success-metric'; readonly metric: string; readonly alwaysValid: boolean; readonly harmed: readonly HarmedComparison[] }
  | { readonly check: 'mixed-units'; readonly units: number; readonly share: number }
  | { readonly check: 'config-versions'; readonly versions: readonly string[] }
  | { readonly check: 'balance'; readonly flaggedBuckets: number; readonly judgedBuckets: number }
  | { readonly check: 'bad-lines'; readonly count: number; readonly byReason: Readonly<Record<string, number>> }
  | { readonly check: 'guardrail'; readonly guardrail: number }
);

const STATUS_RANK = { fail: 0, warn: 1, info: 2, pass: 3, 'not-applicable': 4 } as const;

/** Orders checks failed first, then warnings, information, passes, and those that did not apply. */
export const byStatus = (a: Check, b: Check): number => STATUS_RANK[a.status] - STATUS_RANK[b.status];

/** What {@link buildChecks} judges. */
export interface CheckInputs {
  readonly options: ResolvedOptions;
  /** Each variant's name, units and expected share (the report's VariantSummary). */
  readonly variants: readonly { readonly name: string; readonly units: number; readonly expectedShare: number }[];
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

function sampleRatio(srm: SampleRatioCheck, options: ResolvedOptions): Check {
  switch (srm.status) {
    case 'not-applicable':
      return { check: 'srm', status: 'not-applicable', outcome: 'proceed', threshold: null };
    case 'fail':
      return { check: 'srm', status: 'fail', outcome: options.srm.onFail, threshold: options.srm.failBelow };
    case 'warn':
      return { check: 'srm', status: 'warn', outcome: 'proceed', threshold: options.srm.warnBelow };
    case 'ok':
      return { check: 'srm', status: 'pass', outcome: 'proceed', threshold: null };
  }
}

/** The checks, in the order the report lists them: sample ratio, variants without units, success metrics, units in several variants, config versions, balance, bad lines, guardrails. */
export function buildChecks(input: CheckInputs): Check[] {
  const { options, metrics, balance, guardrails } = input;
  const checks: Check[] = [sampleRatio(input.srm, options)];
  for (const v of input.variants) {
    if (v.units === 0 && v.expectedShare > 0) checks.push({ check: 'missing-variant', status: 'fail', outcome: 'hold', variant: v.name, expectedShare: v.expectedShare });
  }
  checks.push(...significantHarmChecks(metrics, options.onSignificantHarm, options.sequential.decides));
  if (input.mixedUnits > 0) {
    const share = input.mixedUnits / input.exposedUnits;
    // Below the threshold it is information, not a test that passed.
    checks.push({ check: 'mixed-units', status: share > MIXED_UNITS_WARN_SHARE ? 'warn' : 'info', outcome: 'proceed', units: input.mixedUnits, share });
  }
  if (options.configVersion === undefined && input.configVersions.length > 1) {
    checks.push({ check: 'config-versions', status: 'warn', outcome: 'proceed', versions: input.configVersions });
  }
  if (balance.flaggedBuckets > 0) {
    checks.push({ check: 'balance', status: 'warn', outcome: 'proceed', flaggedBuckets: balance.flaggedBuckets, judgedBuckets: balance.judgedBuckets });
  }
  if (input.badLines > 0) {
    checks.push({ check: 'bad-lines', status: 'warn', outcome: 'proceed', count: input.badLines, byReason: Object.fromEntries(input.badLinesByCategory) });
  }
  guardrails.forEach((g, index) => {
    // Unmeasured: zero events and an uninstrumented one look the same, so it warns instead of deciding.
    const status = !g.measured ? 'warn' : g.outcome === 'proceed' ? 'pass' : 'fail';
    checks.push({ check: 'guardrail', status, outcome: g.outcome, guardrail: index });
  });
  return checks;
}
