// The daily report's words and numbers, shared by its Markdown and its HTML.
import type { Guardrail } from '@bucketry/analyze';
import type { RolloutChange, RolloutRecord } from '@bucketry/live';
import type { BaselineMetric } from './baseline.js';
import { countText, millisText, percentText } from './charts-html.js';
import type { DailyReport, DailyValue } from './daily-report.js';

const isRate = (g: Guardrail) => g.type === 'rate' || g.type === 'non-inferiority';

/** A guardrail's metric in a few words: "skill_tree_error rate", "p95 skill_tree_loaded". */
export function metricName(g: Guardrail): string {
  if (g.type === 'rate' || g.type === 'non-inferiority') return `${g.metric} rate`;
  if (g.type === 'percentile') return `p${g.percentile} ${g.event}`;
  if (g.type === 'mean') return `mean ${g.event}.${g.property}`;
  return `${g.event}.${g.property}`;
}

/** One number of a metric, as the report writes it. */
function metricValue(g: Guardrail, value: number | null): string {
  if (value === null) return '—';
  if (isRate(g)) return percentText(value);
  if (g.type === 'percentile') return millisText(value);
  return String(+value.toFixed(4));
}

/** A variant's value with what it stands on: "0.80% (4/500 units)", "1.52 s (980 durations)". */
export function dailyValueText(g: Guardrail, value: DailyValue): string {
  if (value.value === null) return `— (no ${isRate(g) ? 'units' : 'values'})`;
  if (isRate(g)) return `${percentText(value.value)} (${countText(value.hits)}/${countText(value.samples)} units)`;
  return `${metricValue(g, value.value)} (${countText(value.samples)} ${g.type === 'percentile' ? 'durations' : 'values'})`;
}

/** The baseline of a metric, or a dash. */
export const baselineValueText = (g: Guardrail, metric: BaselineMetric | null): string => (metric === null ? '—' : metricValue(g, metric.value));

/** What the guardrail requires, on the metric's own scale. */
export function limitText(g: Guardrail): string {
  if (g.type === 'rate') return `proceed below ${percentText(g.hold, 1)}, roll back above ${percentText(g.rollback, 1)}`;
  if (g.type === 'percentile') return `proceed below ${millisText(g.hold)}, roll back above ${millisText(g.rollback)}`;
  if (g.type === 'mean') return `proceed below ${g.hold}, roll back above ${g.rollback}`;
  if (g.type === 'non-inferiority') return `not more than ${percentText(g.margin, 1)} ${g.direction === 'lower-is-better' ? 'above' : 'below'} control`;
  return '';
}

/**
 * The summary lines, as the playbook writes them: requests, then each metric of each treatment
 * beside its baseline, and control's beside it ("skill_tree_error rate 0.80% (baseline 0.85%); control 0.75%").
 */
export function summaryLines(report: DailyReport): string[] {
  const [control, ...treatments] = report.variants;
  const total = report.requests.reduce((a, b) => a + b, 0);
  const lines = [`Requests: ${countText(total)} (${report.variants.map((v, i) => `${v} ${countText(report.requests[i]!)}`).join(', ')}); units exposed: ${report.variants.map((v, i) => `${v} ${countText(report.units[i]!)}`).join(', ')}`];
  for (const g of report.guardrails) {
    const parts = treatments.map((t, k) => `${t} ${metricValue(g.guardrail, g.values[k + 1]!.value)}`);
    const baseline = g.baseline === null ? '' : ` (baseline ${baselineValueText(g.guardrail, g.baseline)})`;
    lines.push(`${metricName(g.guardrail)}: ${parts.join(', ')}${baseline}; control ${control} ${metricValue(g.guardrail, g.values[0]!.value)}`);
  }
  return lines;
}

/** What to do, in the playbook's words. */
export function recommendationText(report: DailyReport): string {
  if (report.recommendation === 'PROCEED') return `PROCEED: ${report.why}. Keep the stage until its minimum duration, then advance.`;
  if (report.recommendation === 'ROLLBACK') return `ROLLBACK: ${report.why}. Set the rollout to 0 (bucketry rollout set ${report.experiment} 0) and find the cause before going on.`;
  return `HOLD: ${report.why}. Stay at this stage and look again tomorrow.`;
}

/** What the store holds: "Store: 5%, version 4, phase canary, set by ana at …". */
export const storeRecordText = (r: RolloutRecord): string =>
  `Store: ${r.rollout}%${r.enabled ? '' : ' (stopped)'}, version ${r.version}${r.phase ? `, phase ${r.phase}` : ''}, set by ${r.actor} at ${r.updatedAt}`;

/** One change the store recorded: "… v3 bucketry-monitor: 5% → 0%, phase rollback: why". */
export const storeChangeText = (c: RolloutChange): string =>
  `${c.at} v${c.version} ${c.actor}: ${c.from ? `${c.from.rollout}%` : '-'} → ${c.to.rollout}%${c.phase ? `, phase ${c.phase}` : ''}${c.reason ? `: ${c.reason}` : ''}`;
