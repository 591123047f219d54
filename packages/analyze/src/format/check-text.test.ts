import { describe, expect, it } from 'vitest';
import type { Check } from '../analysis/checks.js';
import type { AnalysisReport } from '../analysis/report.js';
import type { SampleRatioCheck } from '../analysis/srm.js';
import { parseGuardrailSpec } from '../policy/guardrail-spec.js';
import { checkMessage, reasonMessages } from './check-text.js';

const srm = (over: Partial<SampleRatioCheck> = {}): SampleRatioCheck => ({
  chiSquare: 0.517,
  df: 1,
  pValue: 0.4719,
  sequential: { pValue: 0.844, logBayesFactor: -0.909, concentration: 100 },
  test: 'chi-square',
  status: 'ok',
  notApplicable: null,
  expectedUnits: [719.1, 79.9],
  ...over,
});

/** The parts of a report the checks point to. */
const reportWith = (over: Partial<Record<keyof AnalysisReport, unknown>> = {}): AnalysisReport =>
  ({
    control: 'tree',
    srm: srm(),
    variants: [
      { name: 'tree', units: 713 },
      { name: 'list', units: 86 },
    ],
    balance: { intervalMs: 6 * 3_600_000, tolerancePoints: [3, 3], falseAlarmRate: 0.0023, minUnits: 900 },
    guardrails: [],
    checks: [],
    reasons: [],
    ...over,
  }) as unknown as AnalysisReport;

const message = (check: Check, report = reportWith()) => checkMessage(check, report);

describe('checkMessage', () => {
  it('words the sample ratio check with the tests, the units and the threshold', () => {
    const units = 'units tree 713 (expected 719), list 86 (expected 80)';
    expect(message({ check: 'srm', status: 'pass', outcome: 'proceed', threshold: null })).toBe(`No sample ratio mismatch: χ² = 0.517, df = 1, p = 0.4719; ${units}`);
    expect(message({ check: 'srm', status: 'warn', outcome: 'proceed', threshold: 0.01 })).toBe(`Possible sample ratio mismatch: χ² = 0.517, df = 1, p = 0.4719; ${units}; p < 0.01, watch it`);
    const sequential = reportWith({ srm: srm({ test: 'sequential', status: 'fail', sequential: { pValue: 0.00002, logBayesFactor: 11, concentration: 100 } }) });
    expect(message({ check: 'srm', status: 'fail', outcome: 'hold', threshold: 0.001 }, sequential)).toBe(
      `Sample ratio mismatch: sequential p = 2.00e-5 (anytime-valid), χ² = 0.517, df = 1, p = 0.4719; ${units}; p < 0.001, so the split is not what the weights say and the results cannot be trusted until the cause is found`,
    );
    const whole = reportWith({ srm: srm({ chiSquare: null, df: null, pValue: null, sequential: null, status: 'not-applicable', notApplicable: 'no-units' }) });
    expect(message({ check: 'srm', status: 'not-applicable', outcome: 'proceed', threshold: null }, whole)).toBe('Sample ratio: not applicable (no units to count)');
  });

  it('names a success metric significantly worse than control, with both rates, the lift, the adjusted p and what to do', () => {
    const harmed = { treatment: 'new', control: 'old', treatmentRate: 0.084, controlRate: 0.1, relativeLift: -0.16, adjustedPValue: 0.00561 };
    expect(message({ check: 'success-metric', status: 'fail', outcome: 'hold', metric: 'purchase', alwaysValid: false, harmed: [harmed] })).toBe(
      'Success metric purchase: new is significantly worse than control old (8.40% vs 10.00%, relative lift −16.0%, Holm-adjusted p = 0.0056): hold until the cause is understood',
    );
    expect(message({ check: 'success-metric', status: 'fail', outcome: 'rollback', metric: 'purchase', alwaysValid: true, harmed: [{ ...harmed, relativeLift: null }] })).toBe(
      'Success metric purchase: new is significantly worse than control old (8.40% vs 10.00%, always-valid Holm-adjusted p = 0.0056): roll back',
    );
    expect(message({ check: 'success-metric', status: 'pass', outcome: 'proceed', metric: 'purchase', alwaysValid: false, harmed: [] })).toBe(
      'Success metric purchase: no treatment significantly worse than control',
    );
  });

  it('words the warnings and notes', () => {
    expect(message({ check: 'missing-variant', status: 'fail', outcome: 'hold', variant: 'list', expectedShare: 0.1 })).toBe('Variant list has no units, but its weight is 10.0%');
    expect(message({ check: 'mixed-units', status: 'info', outcome: 'proceed', units: 1, share: 0.00125 })).toBe('1 unit (0.13%) exposed to more than one variant, left out');
    expect(message({ check: 'mixed-units', status: 'warn', outcome: 'proceed', units: 30, share: 0.03 })).toBe(
      '30 units (3.00%) exposed to more than one variant, left out: more than 1%, look for bucketing or identity problems',
    );
    expect(message({ check: 'config-versions', status: 'warn', outcome: 'proceed', versions: ['a', 'b', 'c', 'd', 'e', 'f'] })).toBe(
      'Exposures span 6 config versions (a, b, c, d, e, …): stages with different weights must not be pooled; analyse one with --config-version',
    );
    expect(message({ check: 'balance', status: 'warn', outcome: 'proceed', flaggedBuckets: 2, judgedBuckets: 8 })).toBe(
      "2 of 8 judged 6h buckets have a variant's share outside its tolerance (±3/3 points); an even split is flagged by chance in 0.23% of judged buckets (of 900 units; fewer in larger ones)",
    );
    expect(message({ check: 'bad-lines', status: 'warn', outcome: 'proceed', count: 3, byReason: { 'not JSON': 2, 'no timestamp': 1 } })).toBe('3 bad lines skipped (not JSON: 2, no timestamp: 1)');
  });

  it("words a guardrail by the report's guardrail it points to", () => {
    const rate = parseGuardrailSpec('rate:skill_tree_error:2%:5%');
    const report = reportWith({
      guardrails: [
        { guardrail: rate, measured: false, outcome: 'proceed', arms: [] },
        { guardrail: rate, measured: true, outcome: 'hold', arms: [{ variant: 'list', outcome: 'hold', value: 0.03, reading: { kind: 'rate', rate: 0.03, conversions: 3, units: 100 } }] },
      ],
    });
    expect(message({ check: 'guardrail', status: 'warn', outcome: 'proceed', guardrail: 0 }, report)).toBe(
      'Guardrail skill_tree_error rate below 2.0% (rollback above 5.0%): not measured, no skill_tree_error events in the export (zero of them, or not instrumented under this name?)',
    );
    expect(message({ check: 'guardrail', status: 'fail', outcome: 'hold', guardrail: 1 }, report)).toBe('Guardrail skill_tree_error rate below 2.0% (rollback above 5.0%): hold (list: 3.00% of units (3/100))');
  });
});

describe('reasonMessages', () => {
  it("words the checks in the order of the report's reasons", () => {
    const checks: Check[] = [
      { check: 'srm', status: 'pass', outcome: 'proceed', threshold: null },
      { check: 'missing-variant', status: 'fail', outcome: 'hold', variant: 'list', expectedShare: 0.1 },
    ];
    expect(reasonMessages(reportWith({ checks, reasons: [1, 0] }))).toEqual([message(checks[1]!), message(checks[0]!)]);
  });
});
