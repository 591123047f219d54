import { byStatus, type AnalysisReport, type Check } from '../analysis/report.js';
import { formatDuration } from '../policy/quantities.js';
import { count, decimal, millis, orDash, percent, pValue, signedPoints } from './numbers.js';
import { checkMessage } from './check-text.js';
import { guardrailDetail, guardrailLabel } from './guardrail-text.js';
import { badLinesHtml } from './bad-lines.js';
import { cell, head } from './html-table.js';
import { chiSquareText } from './srm-text.js';
import { valueTables } from './html-values.js';
import { segmentAndCupedTables } from './html-segments.js';
import { balanceChart, escapeHtml, liftChart } from './svg-charts.js';

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#111827;background:#f9fafb}
main{max-width:920px;margin:0 auto;padding:24px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
.muted{color:#6b7280}.decision{display:inline-block;padding:4px 12px;border-radius:6px;font-weight:700;color:#fff;letter-spacing:.04em}
.proceed{background:#059669}.hold{background:#d97706}.rollback{background:#dc2626}
table{border-collapse:collapse;width:100%;background:#fff;margin:4px 0}th,td{padding:4px 8px;border-bottom:1px solid #e5e7eb;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}th{font-weight:600;color:#374151;background:#f3f4f6}
td.wrap{white-space:normal;text-align:left}
.chart{width:100%;height:auto;background:#fff;border:1px solid #e5e7eb;border-radius:6px}
.chart .grid{stroke:#e5e7eb}.chart .axis{stroke:#6b7280}.chart .bar{fill:#9ca3af}.chart .unjudged{fill:#e5e7eb;opacity:.6}.chart .unjudged-bar{fill:#d1d5db}
tr.unjudged td{color:#9ca3af}
.chart .tick{font-size:11px;fill:#4b5563}.chart .label{font-size:12px;fill:#374151}
ul.reasons li{margin:2px 0}.fail{color:#b91c1c}.warn{color:#b45309}.pass{color:#047857}.info,.not-applicable{color:#4b5563}
`;

/**
 * What a check means for the reader: the outcome of one that decides (HOLD, ROLLBACK), else
 * whether it needs attention; "FAIL" on a hold and "PASS" on units left out both misled.
 */
function checkLabel(check: Check): string {
  switch (check.status) {
    case 'fail':
      return check.outcome === 'proceed' ? 'FAILED (the policy proceeds)' : check.outcome.toUpperCase();
    case 'warn':
      return 'WARNING';
    case 'info':
      return 'NOTE';
    case 'pass':
      return 'OK';
    case 'not-applicable':
      return 'NOT APPLICABLE';
  }
}

/**
 * The report as one self-contained HTML page: inline CSS and SVG charts (exposure balance over
 * time, lift with its interval), no scripts, fonts or links to fetch, so it opens offline.
 *
 * @example
 * ```ts
 * writeFileSync('report.html', formatHtml(report));
 * ```
 */
export function formatHtml(report: AnalysisReport): string {
  const input = report.input;
  const body: string[] = [];
  body.push(`<h1>${escapeHtml(report.experiment)} <span class="muted">control ${escapeHtml(report.control)}${report.configVersion ? `, config version ${escapeHtml(report.configVersion)}` : ''}</span></h1>`);
  body.push(`<p><span class="decision ${report.decision}">${report.decision.toUpperCase()}</span></p>`);
  body.push('<ul class="reasons">');
  for (const c of [...report.checks].sort(byStatus)) {
    body.push(`<li class="${c.status}">${escapeHtml(`${checkLabel(c)}: ${checkMessage(c, report)}`)}</li>`);
  }
  body.push('</ul>');
  body.push(
    `<p class="muted">${escapeHtml(`${count(input.lines)} lines, ${count(input.events)} events read, ${count(input.unrelatedLines)} unrelated, ${count(input.badLines.count)} bad${input.duplicateEvents > 0 ? `, ${count(input.duplicateEvents)} duplicates ignored` : ''}; ${input.from ?? '—'} → ${input.to ?? '—'}`)}</p>`,
  );

  body.push('<h2>Variants and sample ratio</h2><table>');
  body.push(head(['variant', 'expected', 'exposures', 'units', 'share', 'in 2+ variants']));
  for (const v of report.variants) {
    body.push(`<tr>${[v.name, percent(v.expectedShare, 1), count(v.exposures), count(v.units), orDash(v.share, (s) => percent(s)), count(v.mixedUnits)].map(cell).join('')}</tr>`);
  }
  body.push('</table>');
  const srm = report.srm;
  body.push(
    `<p>${escapeHtml(
      srm.sequential === null
        ? `Sample ratio: ${chiSquareText(srm)}`
        : `${chiSquareText(srm)}; sequential (anytime-valid) p = ${pValue(srm.sequential.pValue)}: ${srm.status}, by the ${srm.test === 'sequential' ? 'sequential test' : 'chi-square'}`,
    )}</p>`,
  );

  const balance = report.balance;
  body.push(`<h2>Exposure balance over time</h2>`);
  body.push(balanceChart(report));
  body.push(
    `<p class="muted">${escapeHtml(
      `${formatDuration(balance.intervalMs)} buckets${balance.intervalFrom === 'data' ? ', chosen from the data' : ''}; a bucket is judged from ${count(balance.minUnits)} units, where the tolerance (±${balance.tolerancePoints.map((t) => decimal(t, 1)).join('/')} points) spans three standard errors of a share` +
        (balance.falseAlarmRate === null ? '' : `: an even split is flagged by chance in ${percent(balance.falseAlarmRate)} of judged buckets`) +
        `. ${balance.flaggedBuckets} of ${balance.judgedBuckets} judged buckets flagged; grey buckets have too few units to judge.`,
    )}</p>`,
  );

  body.push(`<h2>Lift</h2>`);
  body.push(liftChart(report));
  if (report.metrics.length > 0) {
    body.push('<table>');
    const level = percent(report.confidence, 0);
    body.push(head(['metric', 'variant', 'converted', 'rate', 'abs. lift', 'rel. lift', `${level} CI (rel.)`, 'p', 'adj. p', `always-valid ${level} CS (rel.)`, 'always-valid p', 'adj.']));
    for (const m of report.metrics) {
      m.variants.forEach((v, i) => {
        const c = i === 0 ? undefined : m.comparisons[i - 1];
        const rel = c?.relativeLift ?? null;
        const seq = c?.sequential ?? null;
        body.push(
          `<tr>${[
            i === 0 ? `${m.name} (${m.role})` : '',
            v.name,
            `${count(v.conversions)} / ${count(v.units)}`,
            orDash(v.rate, (r) => percent(r)),
            c?.absoluteLift ? `${signedPoints(c.absoluteLift.estimate)} pts` : i === 0 ? 'control' : '—',
            orDash(rel?.estimate ?? null, (r) => percent(r, 1, true)),
            rel ? `[${percent(rel.low, 1, true)}, ${percent(rel.high, 1, true)}]` : '—',
            c?.absoluteLift && c.pValue === null ? 'not applicable' : orDash(c?.pValue ?? null, pValue),
            c?.absoluteLift && c.pValue === null && m.role === 'success' ? 'not applicable' : orDash(c?.adjustedPValue ?? null, pValue),
            seq?.relativeLift ? `[${percent(seq.relativeLift.low, 1, true)}, ${percent(seq.relativeLift.high, 1, true)}]` : seq ? `[${signedPoints(seq.absoluteLift.low)}, ${signedPoints(seq.absoluteLift.high)}] pts` : '—',
            seq && seq.pValue === null ? 'not applicable' : orDash(seq?.pValue ?? null, pValue),
            orDash(seq?.adjustedPValue ?? null, pValue) + (seq?.significant ? ' *' : ''),
          ]
            .map(cell)
            .join('')}</tr>`,
        );
      });
    }
    body.push('</table>');
    body.push(
      `<p class="muted">${escapeHtml(
        `Always-valid: the mSPRT's p-value and confidence sequence (CS), valid however often the experiment is analysed (tuned for ${count(report.sequential.horizon)} units); ${report.sequential.decides ? 'they decide.' : 'the fixed-horizon tests decide.'}`,
      )}</p>`,
    );
  }

  body.push(...valueTables(report));
  body.push(...segmentAndCupedTables(report));

  if (report.guardrails.length > 0) {
    body.push('<h2>Guardrails</h2><table>');
    body.push(head(['guardrail', 'outcome', 'detail']));
    for (const g of report.guardrails) {
      body.push(`<tr>${cell(guardrailLabel(g.guardrail))}${cell(g.measured ? g.outcome : 'not measured')}<td class="wrap">${escapeHtml(guardrailDetail(g, report.control))}</td></tr>`);
    }
    body.push('</table>');
  }

  if (report.durations.length > 0) {
    body.push('<h2>Durations</h2><p class="muted">Percentiles of all durations; means (each unit\'s mean counting once) and Welch\'s test on units.</p><table>');
    const level = percent(report.confidence, 0);
    body.push(head(['event', 'variant', 'count', 'units', 'mean per unit', `mean diff. (${level} CI), Welch p`, `always-valid ${level} CS, p`, 'p50', 'p90', 'p95', `p95 ${level} CI`]));
    for (const d of report.durations) {
      d.variants.forEach((v, i) => {
        const c = i === 0 ? undefined : d.comparisons[i - 1];
        const diff = c?.meanDifference ? `${decimal(c.meanDifference.estimate, 1)} ms [${decimal(c.meanDifference.low, 1)}, ${decimal(c.meanDifference.high, 1)}], p = ${pValue(c.pValue!)}` : i === 0 ? 'control' : '—';
        const anytime = c?.sequential ? `[${decimal(c.sequential.meanDifference.low, 1)}, ${decimal(c.sequential.meanDifference.high, 1)}] ms, p = ${pValue(c.sequential.pValue)}` : i === 0 ? '' : '—';
        const p95 = v.p95Interval ? `[${millis(v.p95Interval.low)}, ${millis(v.p95Interval.high)}]` : '—';
        body.push(`<tr>${[i === 0 ? `${d.event} (${d.field})` : '', v.name, count(v.count), orDash(v.units, count), orDash(v.mean, millis), diff, anytime, orDash(v.p50, millis), orDash(v.p90, millis), orDash(v.p95, millis), p95].map(cell).join('')}</tr>`);
      });
    }
    body.push('</table>');
  }

  const treatments = report.variants.slice(1).map((v) => v.name);
  body.push(`<h2>Time buckets (${escapeHtml(formatDuration(report.balance.intervalMs))})</h2><table>`);
  body.push(head(['start (UTC)', ...report.variants.map((v) => v.name), ...treatments.map((t) => `${t} share`), ...report.metrics.map((m) => m.name), 'flag']));
  for (const b of report.balance.buckets) {
    body.push(
      `<tr${b.judged ? '' : ' class="unjudged"'}>${[
        `${b.start.slice(0, 10)} ${b.start.slice(11, 16)}`,
        ...b.units.map((n) => count(n)),
        ...treatments.map((_, i) => orDash(b.shares[i + 1]!, (s) => percent(s, 1))),
        ...b.conversions.map((per) => per.map((n) => count(n)).join(' / ')),
        b.outOfTolerance.length > 0 ? `outside: ${b.outOfTolerance.join(', ')}` : b.judged ? '' : 'too few units',
      ]
        .map(cell)
        .join('')}</tr>`,
    );
  }
  body.push('</table>');

  if (input.badLines.count > 0) body.push(badLinesHtml(input.badLines));

  return htmlPage(`${report.experiment}: ${report.decision}`, body, 'bucketry analyze');
}

/** A self-contained report page (inline CSS, nothing to fetch) around `body`, with the command that generated it. */
export function htmlPage(title: string, body: readonly string[], generatedBy: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body><main>
${body.join('\n')}
<p class="muted">Generated by ${generatedBy}.</p>
</main></body>
</html>
`;
}
