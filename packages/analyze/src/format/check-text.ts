// The checks behind the decision in words: the text report's reasons, the HTML page's list.
import type { Check } from '../analysis/checks.js';
import type { AnalysisReport } from '../analysis/report.js';
import type { SignificantHarmOutcome } from '../policy/outcome.js';
import { formatDuration } from '../policy/quantities.js';
import { guardrailDetail, guardrailLabel, notMeasuredText } from './guardrail-text.js';
import { count, counted, decimal, percent, pValue } from './numbers.js';
import { chiSquareText, sampleRatioTestsText } from './srm-text.js';

const HARM_OUTCOME: Record<SignificantHarmOutcome, string> = { hold: 'hold until the cause is understood', rollback: 'roll back' };

type CheckOf<K extends Check['check']> = Extract<Check, { check: K }>;

function sampleRatioMessage(check: CheckOf<'srm'>, report: AnalysisReport): string {
  const srm = report.srm;
  if (check.status === 'not-applicable') return `Sample ratio: ${chiSquareText(srm)}`;
  const units = report.variants.map((v, i) => `${v.name} ${count(v.units)} (expected ${count(srm.expectedUnits[i]!)})`).join(', ');
  const line = `${sampleRatioTestsText(srm)}; units ${units}`;
  if (check.status === 'fail') {
    return `Sample ratio mismatch: ${line}; p < ${check.threshold}, so the split is not what the weights say and the results cannot be trusted until the cause is found`;
  }
  return check.status === 'warn' ? `Possible sample ratio mismatch: ${line}; p < ${check.threshold}, watch it` : `No sample ratio mismatch: ${line}`;
}

function successMetricMessage(check: CheckOf<'success-metric'>): string {
  if (check.harmed.length === 0 || check.outcome === 'proceed') return `Success metric ${check.metric}: no treatment significantly worse than control`;
  const which = check.alwaysValid ? 'always-valid Holm-adjusted p' : 'Holm-adjusted p';
  const each = check.harmed.map((h) => {
    const relative = h.relativeLift === null ? '' : `, relative lift ${percent(h.relativeLift, 1, true)}`;
    return `${h.treatment} is significantly worse than control ${h.control} (${percent(h.treatmentRate)} vs ${percent(h.controlRate)}${relative}, ${which} = ${pValue(h.adjustedPValue)})`;
  });
  return `Success metric ${check.metric}: ${each.join('; ')}: ${HARM_OUTCOME[check.outcome]}`;
}

function balanceMessage(check: CheckOf<'balance'>, report: AnalysisReport): string {
  const b = report.balance;
  const byChance =
    b.falseAlarmRate === null ? '' : `; an even split is flagged by chance in ${percent(b.falseAlarmRate)} of judged buckets (of ${count(b.minUnits)} units; fewer in larger ones)`;
  return `${check.flaggedBuckets} of ${check.judgedBuckets} judged ${formatDuration(b.intervalMs)} buckets have a variant's share outside its tolerance (±${b.tolerancePoints.map((t) => decimal(t, 1)).join('/')} points)${byChance}`;
}

function guardrailMessage(check: CheckOf<'guardrail'>, report: AnalysisReport): string {
  const g = report.guardrails[check.guardrail]!;
  const label = guardrailLabel(g.guardrail);
  if (!g.measured) return `Guardrail ${label}: not measured, ${notMeasuredText(g.guardrail)} (zero of them, or not instrumented under this name?)`;
  return `Guardrail ${label}: ${g.outcome} (${guardrailDetail(g, report.control)})`;
}

/**
 * A check in words, e.g. "No sample ratio mismatch: χ² = 0.517, df = 1, p = 0.4719; units tree 713
 * (expected 719), list 86 (expected 80)"; the report supplies the numbers the check points to.
 */
export function checkMessage(check: Check, report: AnalysisReport): string {
  switch (check.check) {
    case 'srm':
      return sampleRatioMessage(check, report);
    case 'missing-variant':
      return `Variant ${check.variant} has no units, but its weight is ${percent(check.expectedShare, 1)}`;
    case 'success-metric':
      return successMetricMessage(check);
    case 'mixed-units':
      return `${counted(check.units, 'unit')} (${percent(check.share)}) exposed to more than one variant, left out${check.status === 'warn' ? ': more than 1%, look for bucketing or identity problems' : ''}`;
    case 'config-versions': {
      const versions = check.versions;
      return `Exposures span ${versions.length} config versions (${versions.slice(0, 5).join(', ')}${versions.length > 5 ? ', …' : ''}): stages with different weights must not be pooled; analyse one with --config-version`;
    }
    case 'balance':
      return balanceMessage(check, report);
    case 'bad-lines':
      return `${counted(check.count, 'bad line')} skipped (${Object.entries(check.byReason).map(([reason, n]) => `${reason}: ${count(n)}`).join(', ')})`;
    case 'guardrail':
      return guardrailMessage(check, report);
  }
}

/** The checks' messages, the ones that drove the decision first (`report.reasons`). */
export const reasonMessages = (report: AnalysisReport): string[] => report.reasons.map((index) => checkMessage(report.checks[index]!, report));
