import { countText } from './charts-html.js';
import type { DailyReport } from './daily-report.js';
import { baselineValueText, dailyValueText, limitText, metricName, recommendationText, storeChangeText, storeRecordText, summaryLines } from './daily-report-text.js';

/** A table cell: no pipe or line break may end it early. */
const cell = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The daily report as Markdown. */
export function dailyReportMarkdown(report: DailyReport): string {
  const lines: string[] = [];
  lines.push(`# Daily rollout report: ${report.experiment}, ${report.date}`, '');
  lines.push(`**Recommendation: ${report.recommendation}**`, '');
  if (report.store !== null) {
    const r = report.store.record;
    lines.push(r === null ? 'Store: no record (every instance serves its base config)' : storeRecordText(r), '');
  }
  lines.push('## Metrics summary', '');
  for (const line of summaryLines(report)) lines.push(`- ${line}`);
  lines.push('');
  lines.push(`| metric | ${report.variants.map(cell).join(' | ')} | baseline | limits | verdict |`);
  lines.push(`| --- | ${report.variants.map(() => '---').join(' | ')} | --- | --- | --- |`);
  for (const g of report.guardrails) {
    lines.push(`| ${cell(metricName(g.guardrail))} | ${g.values.map((v) => cell(dailyValueText(g.guardrail, v))).join(' | ')} | ${cell(baselineValueText(g.guardrail, g.baseline))} | ${cell(limitText(g.guardrail))} | ${g.judgement.verdict} |`);
  }
  lines.push('');
  lines.push(
    report.baseline === null
      ? 'No baseline: record one with `bucketry baseline` before the first stage.'
      : `Baseline: ${report.baseline.from} to ${report.baseline.to}.`,
  );
  lines.push(`Source: ${report.source}; ${countText(report.counts.lines)} lines read.`, '');
  lines.push('## Issues detected', '');
  if (report.issues.length === 0) lines.push('None.');
  for (const issue of report.issues) lines.push(`- ${issue}`);
  lines.push('');
  if (report.store !== null && report.store.changes.length > 0) {
    lines.push('## Rollout changes that day', '');
    for (const c of report.store.changes) lines.push(`- ${storeChangeText(c)}`);
    lines.push('');
  }
  lines.push('## Recommendation', '', recommendationText(report), '');
  return lines.join('\n');
}
