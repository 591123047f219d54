import type { AnalysisReport } from '../analysis/report.js';
import { formatDuration } from '../policy/quantities.js';
import { cell, head } from './html-table.js';
import { count, counted, decimal, orDash, percent, pValue } from './numbers.js';
import { escapeHtml } from './svg-charts.js';
import { cupedDifference, cupedMetricName, prePeriodText, segmentFamilySize, segmentWarningText, sliceCells, sliceRows } from './text-segments.js';

const note = (text: string) => `<p class="muted">${escapeHtml(text)}</p>`;

/** The HTML report's segment and CUPED tables: empty without them. */
export function segmentAndCupedTables(report: AnalysisReport): string[] {
  const body: string[] = [];
  const level = percent(report.confidence, 0);
  const variants = report.variants.map((v) => v.name);
  for (const segment of report.segments) {
    body.push(`<h2>Segment: ${escapeHtml(segment.property)}</h2>`);
    body.push(
      note(
        `Each unit in the slice of its first exposure's value. Success metrics' p-values Holm-adjusted over ${counted(segmentFamilySize(report.segments), 'slice comparison')} of every segment. Slices inform; the decision is the whole experiment's.`,
      ),
    );
    body.push('<table>');
    body.push(head(['slice', `units (${variants.join('/')})`, 'metric', 'vs', 'rates / means', 'difference', `${level} CI`, 'p', 'adj. p']));
    for (const slice of segment.slices) {
      const [name, units] = sliceCells(slice);
      sliceRows(slice).forEach((row, k) => {
        const cells = [k === 0 ? name : '', k === 0 ? units : '', ...row];
        body.push(`<tr${slice.small ? ' class="unjudged"' : ''}>${cells.map(cell).join('')}</tr>`);
      });
    }
    body.push('</table>');
    if (segment.warnings.length > 0) body.push(`<ul class="reasons">${segment.warnings.map((w) => `<li class="warn">${escapeHtml(segmentWarningText(w))}</li>`).join('')}</ul>`);
  }
  const cuped = report.cuped;
  if (cuped !== null) {
    body.push('<h2>CUPED</h2>');
    body.push(
      note(
        `Covariate X: the same metric over each unit's events in the ${formatDuration(cuped.windowMs)} before its first exposure, 0 without any; θ = cov(Y, X)/var(X) pooled over both arms; Welch's test on Y − θ(X − X̄); ${level} intervals. Reported beside the unadjusted tests, which decide.`,
      ),
    );
    body.push('<table>');
    body.push(head(['metric', 'vs', 'units with a pre-period', 'adjusted difference', `${level} CI`, 'p', 'unadjusted difference', 'p', 'θ', 'variance reduction']));
    for (const m of cuped.metrics) {
      for (const c of m.comparisons) {
        const show = cupedDifference(m.kind, c.difference?.standardError ?? 0);
        const u = c.unadjustedDifference;
        const cells = [
          cupedMetricName(m),
          c.treatment,
          m.variants.map((v) => `${count(v.unitsWithPrePeriod)} of ${count(v.units)}`).join(', '),
          c.difference ? show(c.difference.estimate) : c.theta === null ? 'no pre-period in either arm' : '—',
          c.difference ? `[${show(c.difference.low)}, ${show(c.difference.high)}]` : '—',
          orDash(c.pValue, pValue),
          u ? `${show(u.estimate)} [${show(u.low)}, ${show(u.high)}]` : '—',
          orDash(c.unadjustedPValue, pValue),
          orDash(c.theta, (t) => decimal(t, 4)),
          orDash(c.varianceReduction, (r) => percent(r, 1)),
        ];
        body.push(`<tr>${cells.map(cell).join('')}</tr>`);
      }
    }
    body.push('</table>');
    const prePeriod = prePeriodText(cuped);
    body.push(note(`${prePeriod[0]!.toUpperCase()}${prePeriod.slice(1)}.`));
  }
  return body;
}
