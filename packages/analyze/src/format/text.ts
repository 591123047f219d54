import { MAX_DURATION_EVENTS } from '../analysis/duration-tally.js';
import type { AnalysisReport } from '../analysis/report.js';
import { formatDuration } from '../policy/quantities.js';
import { count, counted, decimal, millis, orDash, percent, pValue, signed, signedPoints } from './numbers.js';
import { reasonMessages } from './check-text.js';
import { armText, guardrailLabel, notMeasuredText } from './guardrail-text.js';
import { sampleRatioTestsText } from './srm-text.js';
import { table } from './table.js';
import { badLinesText } from './bad-lines.js';
import { valueSections } from './text-values.js';
import { segmentAndCupedSections } from './text-segments.js';

/** Balance rows printed before the rest are left to `--format json`. */
export const MAX_TEXT_BUCKETS = 100;

const when = (iso: string | null) => (iso === null ? '—' : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`);
const interval = (low: number, high: number, show: (n: number) => string) => `[${show(low)}, ${show(high)}]`;

/** What the always-valid lines are, and whether they decide. */
const sequentialNote = (report: AnalysisReport): string =>
  `  always-valid: the mSPRT's p-value and ${percent(report.confidence, 0)} confidence sequence, valid however often the experiment is analysed (tuned for ${count(report.sequential.horizon)} units); ` +
  (report.sequential.decides ? 'they decide (--sequential)' : 'the fixed-horizon tests decide (--sequential for these)');

/**
 * The report as plain text for a terminal: the decision first, then variants and sample ratio,
 * metrics with lifts, durations, guardrails, exposure balance over time, bad lines and reasons.
 *
 * @example
 * ```ts
 * process.stdout.write(formatText(await analyzeFile('events.jsonl', options)));
 * ```
 */
export function formatText(report: AnalysisReport): string {
  const out: string[] = [];
  const variants = report.variants.map((v) => v.name);
  const confidence = percent(report.confidence, 0);
  const input = report.input;

  out.push(`bucketry analyze: ${report.experiment} (control ${report.control}${report.configVersion ? `, config version ${report.configVersion}` : ''})`);
  out.push(`Decision: ${report.decision.toUpperCase()}`);
  out.push('');
  const flavors = Object.entries(input.flavors)
    .filter(([, n]) => n > 0)
    .map(([f, n]) => `${f} ${count(n)}`)
    .join(', ');
  out.push(
    `Input: ${count(input.lines)} lines, ${count(input.events)} events read${flavors ? ` (${flavors})` : ''}, ${count(input.unrelatedLines)} unrelated, ${count(input.badLines.count)} bad; ${when(input.from)} → ${when(input.to)} UTC`,
  );
  if (input.otherExperimentExposures > 0) out.push(`  ${counted(input.otherExperimentExposures, 'exposure')} of other experiments ignored`);
  if (input.otherVersionExposures > 0) out.push(`  ${counted(input.otherVersionExposures, 'exposure')} of other config versions ignored`);
  if (input.duplicateEvents > 0) out.push(`  ${counted(input.duplicateEvents, 'duplicate event')} ignored: an event id counted already (a batch delivered twice?)`);
  if (input.eventsWithoutId > 0) out.push(`  ${counted(input.eventsWithoutId, 'event')} without an event id: a copy of one would be counted again`);
  out.push('');

  out.push('Variants');
  out.push(
    ...table([
      ['variant', 'expected', 'exposures', 'units', 'share', 'in 2+ variants'],
      ...report.variants.map((v) => [v.name, percent(v.expectedShare, 1), count(v.exposures), count(v.units), orDash(v.share, (s) => percent(s)), count(v.mixedUnits)]),
    ]),
  );
  const srm = report.srm;
  out.push(`Sample ratio: ${sampleRatioTestsText(srm)}${srm.status === 'not-applicable' ? '' : ` → ${srm.status}`}`);
  out.push('');

  if (report.metrics.length > 0) {
    out.push(`Metrics (units with the event after their first exposure; ${confidence} intervals; success metrics' p-values Holm-adjusted)`);
    for (const metric of report.metrics) {
      out.push(`  ${metric.name} [${metric.role}]`);
      const rows: string[][] = [['variant', 'converted', 'rate', 'abs. lift', `${confidence} CI`, 'rel. lift', `${confidence} CI`, 'p', metric.role === 'success' ? 'adj. p' : '']];
      metric.variants.forEach((v, i) => {
        const base = [v.name, `${count(v.conversions)} / ${count(v.units)}`, orDash(v.rate, (r) => percent(r))];
        const c = i === 0 ? undefined : metric.comparisons[i - 1];
        if (c === undefined || c.absoluteLift === null) {
          rows.push([...base, i === 0 ? 'control' : '—']);
          return;
        }
        rows.push([
          ...base,
          `${signedPoints(c.absoluteLift.estimate)} pts`,
          interval(c.absoluteLift.low, c.absoluteLift.high, signedPoints),
          orDash(c.relativeLift?.estimate ?? null, (r) => percent(r, 1, true)),
          c.relativeLift ? interval(c.relativeLift.low, c.relativeLift.high, (r) => percent(r, 1, true)) : '—',
          // No p-value here means no test (pooled standard error 0), said under the table.
          c.pValue === null ? 'n/a' : pValue(c.pValue),
          metric.role === 'success' ? (c.adjustedPValue === null ? 'n/a' : pValue(c.adjustedPValue) + (c.significant ? ' *' : '')) : '',
        ]);
      });
      out.push(...table(rows, '    '));
      metric.comparisons.forEach((c, i) => {
        if (c.absoluteLift === null || c.pValue !== null) return;
        const rate = metric.variants[i + 1]!.rate;
        out.push(`    p: not applicable for ${c.treatment}: ${rate === 0 ? 'no unit converted in either arm' : 'every unit converted in both arms'}, so the z-test does not exist`);
      });
      for (const c of metric.comparisons) {
        const s = c.sequential;
        if (s === null) continue;
        const adjusted = metric.role === 'success' && s.adjustedPValue !== null ? `, adj. p = ${pValue(s.adjustedPValue)}${s.significant ? ' *' : ''}` : '';
        const relative = s.relativeLift === null ? '' : `, rel. lift ${interval(s.relativeLift.low, s.relativeLift.high, (r) => percent(r, 1, true))}`;
        out.push(`    ${c.treatment}, always-valid: p = ${s.pValue === null ? 'n/a' : pValue(s.pValue)}${adjusted}, abs. lift ${interval(s.absoluteLift.low, s.absoluteLift.high, signedPoints)} pts${relative}`);
      }
    }
    out.push(sequentialNote(report));
    out.push('');
  }

  out.push(...valueSections(report));

  if (report.durations.length > 0) {
    out.push("Durations (percentiles of all durations; means and Welch's test on units, each unit's mean counting once)");
    for (const d of report.durations) {
      out.push(`  ${d.event} (${d.field}; ${confidence} intervals)`);
      out.push(
        ...table(
          [
            ['variant', 'count', 'units', 'mean per unit', 'p50', 'p90', 'p95', `p95 ${confidence} CI`],
            ...d.variants.map((v) => [v.name, count(v.count), orDash(v.units, count), orDash(v.mean, millis), orDash(v.p50, millis), orDash(v.p90, millis), orDash(v.p95, millis), v.p95Interval ? interval(v.p95Interval.low, v.p95Interval.high, millis) : '—']),
          ],
          '    ',
        ),
      );
      for (const c of d.comparisons) {
        if (c.meanDifference === null) continue;
        const ms = signed(millis);
        out.push(`    ${c.treatment} vs ${c.control}: mean ${ms(c.meanDifference.estimate)} ${interval(c.meanDifference.low, c.meanDifference.high, ms)}, Welch t = ${decimal(c.t!, 2)}, df = ${decimal(c.df!, 1)}, p = ${pValue(c.pValue!)}`);
        if (c.sequential !== null) out.push(`    ${c.treatment} vs ${c.control}, always-valid: mean ${interval(c.sequential.meanDifference.low, c.sequential.meanDifference.high, ms)}, p = ${pValue(c.sequential.pValue)}`);
      }
    }
    if (report.metrics.length === 0 && report.durations.some((d) => d.comparisons.some((c) => c.sequential !== null))) out.push(sequentialNote(report));
    if (input.droppedDurations > 0) out.push(`  ${counted(input.droppedDurations, 'duration')} of events beyond the first ${MAX_DURATION_EVENTS} names with durations dropped`);
    if (input.unattributedDurations > 0) {
      const why = input.unattributedDurationReasons;
      const parts = [
        why.otherConfigVersion > 0 && `${counted(why.otherConfigVersion, 'of a unit', 'of units')} exposed only under other config versions (left out by --config-version ${report.configVersion})`,
        why.notExposed > 0 && `${counted(why.notExposed, 'of a unit', 'of units')} not exposed (yet)`,
        why.inSeveralVariants > 0 && `${counted(why.inSeveralVariants, 'of a unit', 'of units')} in several variants`,
        why.beforeExposure > 0 && `${counted(why.beforeExposure, "from before its unit's", "from before their unit's")} first exposure`,
      ].filter((part): part is string => part !== false);
      out.push(`  ${counted(input.unattributedDurations, 'duration')} not attributed: ${parts.join(', ')}`);
    }
    out.push('');
  }

  out.push(...segmentAndCupedSections(report));

  if (srm.test === 'chi-square' && srm.sequential !== null) {
    // The chi-square decides; the test that stays valid when the experiment is analysed again and again, for reference.
    out.push(`Sample ratio, sequential test (anytime-valid, for repeated looks; --srm-test sequential decides by it): p = ${pValue(srm.sequential.pValue)}`);
    out.push('');
  }

  if (report.guardrails.length > 0) {
    out.push('Guardrails');
    for (const g of report.guardrails) {
      out.push(`  ${(g.measured ? g.outcome : 'unmeasured').toUpperCase().padEnd(10)} ${guardrailLabel(g.guardrail)}`);
      for (const arm of g.arms) out.push(`             ${armText(arm, g.guardrail, report.control)}`);
      if (g.arms.length === 0) out.push(`             ${g.measured ? 'no data' : notMeasuredText(g.guardrail)}`);
    }
    out.push('');
  }

  const balance = report.balance;
  const treatments = variants.slice(1);
  const width = `${formatDuration(balance.intervalMs)} buckets${balance.intervalFrom === 'data' ? ' chosen from the data' : ''}${balance.requestedIntervalMs ? `, widened from ${formatDuration(balance.requestedIntervalMs)}` : ''}`;
  out.push(
    `Exposure balance (units by first exposure, ${width}; tolerance ±${balance.tolerancePoints.map((t) => decimal(t, 1)).join('/')} points, judged from ${count(balance.minUnits)} units` +
      (balance.falseAlarmRate === null ? ')' : `: an even split is flagged by chance in ${percent(balance.falseAlarmRate)} of judged buckets)`),
  );
  if (balance.buckets.length > 0 && balance.judgedBuckets === 0) {
    out.push(`  no bucket holds ${count(balance.minUnits)} units, so none is judged: the balance over time needs more units (the sample ratio check above uses them all)`);
  }
  const metricNames = report.metrics.map((m) => m.name);
  const header = ['start (UTC)', ...variants, ...treatments.map((t) => `${t} share`), ...metricNames.map((m) => `${m} (${variants.join('/')})`), ''];
  const rows = balance.buckets.slice(0, MAX_TEXT_BUCKETS).map((b) => [
    when(b.start),
    ...b.units.map((n) => count(n)),
    ...treatments.map((_, i) => orDash(b.shares[i + 1]!, (s) => percent(s, 1))),
    ...b.conversions.map((perVariant) => perVariant.map((n) => count(n)).join('/')),
    b.outOfTolerance.length > 0 ? `! ${b.outOfTolerance.join(', ')} outside tolerance` : b.judged ? '' : '(too few units to judge)',
  ]);
  out.push(...table([header, ...rows]));
  if (balance.buckets.length > MAX_TEXT_BUCKETS) out.push(`  … ${balance.buckets.length - MAX_TEXT_BUCKETS} more buckets in --format json`);
  out.push('');

  if (input.badLines.count > 0) out.push(...badLinesText(input.badLines), '');

  out.push(`Decision: ${report.decision.toUpperCase()}`);
  for (const reason of reasonMessages(report)) out.push(`  - ${reason}`);
  return out.join('\n') + '\n';
}
