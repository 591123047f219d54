import type { InterleavingReport } from '../analysis/interleaving.js';
import { badLinesHtml } from './bad-lines.js';
import { htmlPage } from './html.js';
import { cell, head } from './html-table.js';
import { interleavingInput, interleavingSections, interleavingVerdict } from './interleaving-text.js';
import { escapeHtml } from './svg-charts.js';

/**
 * An interleaving report as one self-contained HTML page (inline CSS, nothing to fetch): the
 * same verdict and tables as {@link formatInterleavingText}.
 *
 * @example
 * ```ts
 * writeFileSync('skill-order.html', formatInterleavingHtml(report));
 * ```
 */
export function formatInterleavingHtml(report: InterleavingReport): string {
  const body: string[] = [`<h1>${escapeHtml(report.experiment)} <span class="muted">interleaving</span></h1>`];
  const preferred = report.verdict === 'none' ? 'hold' : 'proceed';
  body.push(`<p><span class="decision ${preferred}">${escapeHtml(interleavingVerdict(report))}</span></p>`);
  body.push(`<p class="muted">${escapeHtml(interleavingInput(report))}</p>`);
  for (const section of interleavingSections(report)) {
    const [header = [], ...rows] = section.rows;
    body.push(`<h2>${escapeHtml(section.title)}</h2><table>${head(header)}`);
    for (const row of rows) body.push(`<tr>${row.map(cell).join('')}</tr>`);
    body.push('</table>');
  }
  if (report.input.badLines.count > 0) body.push(badLinesHtml(report.input.badLines));
  return htmlPage(`${report.experiment}: interleaving`, body, 'bucketry analyze --interleaving');
}
