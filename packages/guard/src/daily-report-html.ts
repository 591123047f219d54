import { countText, escapeHtml as e } from './charts-html.js';
import type { DailyReport } from './daily-report.js';
import { baselineValueText, dailyValueText, limitText, metricName, recommendationText, storeChangeText, storeRecordText, summaryLines } from './daily-report-text.js';

const STYLE = `body{font-family:system-ui,sans-serif;max-width:960px;margin:0 auto;padding:16px;color:#111827}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #e5e7eb;padding:4px 6px;text-align:left;font-size:.9em}
.PROCEED{color:#15803d}.HOLD{color:#b45309}.ROLLBACK{color:#b91c1c}.verdict{font-size:1.4em;font-weight:700}`;

/** The daily report as one self-contained HTML page: inline style, no script, nothing fetched. */
export function dailyReportHtml(report: DailyReport): string {
  const rows = report.guardrails.map(
    (g) =>
      `<tr><td>${e(metricName(g.guardrail))}</td>${g.values.map((v) => `<td>${e(dailyValueText(g.guardrail, v))}</td>`).join('')}<td>${e(baselineValueText(g.guardrail, g.baseline))}</td><td>${e(limitText(g.guardrail))}</td><td class="${g.judgement.verdict}">${g.judgement.verdict}</td></tr>`,
  );
  const record = report.store?.record;
  const store =
    report.store === null
      ? ''
      : `<p>${record ? e(storeRecordText(record)) : 'Store: no record'}</p>`;
  const changes =
    report.store !== null && report.store.changes.length > 0
      ? `<h2>Rollout changes that day</h2><ul>${report.store.changes.map((c) => `<li>${e(storeChangeText(c))}</li>`).join('')}</ul>`
      : '';
  const body =
    `<h1>Daily rollout report: ${e(report.experiment)}, ${e(report.date)}</h1>` +
    `<p class="verdict ${report.recommendation}" data-field="recommendation">Recommendation: ${report.recommendation}</p>${store}` +
    `<h2>Metrics summary</h2><ul>${summaryLines(report).map((l) => `<li>${e(l)}</li>`).join('')}</ul>` +
    `<table><tr><th>metric</th>${report.variants.map((v) => `<th>${e(v)}</th>`).join('')}<th>baseline</th><th>limits</th><th>verdict</th></tr>${rows.join('')}</table>` +
    `<p>${report.baseline === null ? 'No baseline: record one with <code>bucketry baseline</code> before the first stage.' : e(`Baseline: ${report.baseline.from} to ${report.baseline.to}.`)} ${e(`Source: ${report.source}; ${countText(report.counts.lines)} lines read.`)}</p>` +
    `<h2>Issues detected</h2>${report.issues.length === 0 ? '<p>None.</p>' : `<ul>${report.issues.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`}${changes}` +
    `<h2>Recommendation</h2><p>${e(recommendationText(report))}</p>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>${e(`${report.experiment} ${report.date}: ${report.recommendation}`)}</title><style>${STYLE}</style></head><body>${body}</body></html>\n`;
}
