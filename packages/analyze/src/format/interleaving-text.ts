import type { InterleavingReport } from '../analysis/interleaving.js';
import { badLinesText } from './bad-lines.js';
import { count, percent, pValue } from './numbers.js';
import { table } from './table.js';

/** One titled table of an interleaving report: the same wording in text and HTML. */
export interface InterleavingSection {
  readonly title: string;
  readonly rows: readonly (readonly string[])[];
}

const share = (value: number) => percent(value, 1);
const bounds = (interval: { low: number; high: number } | null) => (interval === null ? '—' : `[${share(interval.low)}, ${share(interval.high)}]`);
const rate = (part: number, whole: number) => (whole === 0 ? '—' : share(part / whole));

/** The verdict as a sentence. */
export function interleavingVerdict(report: InterleavingReport): string {
  const level = percent(report.confidence, 0);
  if (report.verdict === 'none') {
    return report.signTest === null
      ? 'Preferred: NEITHER (no unit preferred either ranker: no clicks credited to a winner)'
      : `Preferred: NEITHER (the sign test over units is not significant at ${level}: p = ${pValue(report.signTest.pValue)})`;
  }
  return `Preferred: ${report.verdict === 'B' ? 'B' : 'A'} (sign test over units, p = ${pValue(report.signTest!.pValue)} at ${level})`;
}

/** The report's tables: preference, impressions, units, clicks. */
export function interleavingSections(report: InterleavingReport): InterleavingSection[] {
  const { impressions: imp, units, clicks, preference, signTest } = report;
  const level = percent(report.confidence, 0);
  return [
    {
      title: 'Preference for ranker B',
      rows: [
        ['measure', 'share for B', `${level} interval`, 'units', 'p-value'],
        [
          "mean of units' shares of decided impressions won by B",
          preference === null ? '—' : share(preference.share),
          bounds(preference?.interval ?? null),
          count(units.decided),
          '',
        ],
        [
          'units preferring B among units preferring one (sign test)',
          signTest === null ? '—' : share(signTest.share),
          bounds(signTest?.interval ?? null),
          signTest === null ? '0' : count(signTest.units),
          signTest === null ? '—' : pValue(signTest.pValue),
        ],
        ['impressions won by B among decided impressions (units repeat: no interval)', report.impressionShare === null ? '—' : share(report.impressionShare), '', '', ''],
      ],
    },
    {
      title: 'Impressions (unit × query × list)',
      rows: [
        ['', 'count', 'share'],
        ['shown', count(imp.total), ''],
        ['won by A (more credited clicks)', count(imp.wonByA), rate(imp.wonByA, imp.total)],
        ['won by B', count(imp.wonByB), rate(imp.wonByB, imp.total)],
        ['tied (as many clicks for each)', count(imp.ties), rate(imp.ties, imp.total)],
        ['clicked on items with no team only', count(imp.onlyUncreditedClicks), rate(imp.onlyUncreditedClicks, imp.total)],
        ['not clicked', count(imp.noClicks), rate(imp.noClicks, imp.total)],
        ...Object.entries(imp.byMethod).map(([method, n]) => [`by ${method}`, count(n), rate(n, imp.total)]),
      ],
    },
    {
      title: 'Units',
      rows: [
        ['', 'count'],
        ['with impressions', count(units.total)],
        ['decided (an impression won by A or B)', count(units.decided)],
        ['preferring A', count(units.preferringA)],
        ['preferring B', count(units.preferringB)],
        ['tied (as many won by each)', count(units.tied)],
        ['undecided (no impression won)', count(units.undecided)],
        ['with no clicks at all', count(units.withoutClicks)],
      ],
    },
    {
      title: `Clicks (${report.clickEvent})`,
      rows: [
        ['', 'count'],
        ['read', count(clicks.total)],
        ['credited to A or B', count(clicks.credited)],
        ['on items with no team (not credited)', count(clicks.uncredited)],
        ['on items the list did not show (not credited)', count(clicks.onItemsNotShown)],
        ['without an interleaving exposure for the unit and query', count(clicks.withoutExposure)],
        ['duplicates (an event id seen before), ignored', count(clicks.duplicates)],
      ],
    },
  ];
}

/** The input line: lines, exposures and what did not count. */
export function interleavingInput(report: InterleavingReport): string {
  const { input } = report;
  return (
    `Input: ${count(input.lines)} lines, ${count(input.exposures)} exposures of ${report.experiment} ` +
    `(${count(input.repeatedExposures)} repeating a list, ${count(input.exposuresWithoutList)} without a list), ${count(input.badLines.count)} bad`
  );
}

/**
 * An interleaving report as plain text: the preferred ranker first, then the preference share
 * with its interval and the sign test, impressions, units, clicks and bad lines.
 *
 * @example
 * ```ts
 * process.stdout.write(formatInterleavingText(await analyzeInterleaving(createReadStream('events.jsonl'), { experiment: 'skill_order' })));
 * ```
 */
export function formatInterleavingText(report: InterleavingReport): string {
  const out = [`bucketry analyze --interleaving: ${report.experiment}`, interleavingVerdict(report), '', interleavingInput(report)];
  for (const section of interleavingSections(report)) out.push('', section.title, ...table(section.rows));
  if (report.input.badLines.count > 0) out.push('', ...badLinesText(report.input.badLines));
  return out.join('\n') + '\n';
}
