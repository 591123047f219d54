// Interleaving's judgement: impressions won by each ranker, aggregated per unit (the unit is what
// is sampled: one user's impressions are not independent), the preference share for B with its
// interval, and the sign test over units. Plain data; format/interleaving-*.ts words it.
import type { Readable } from 'node:stream';
import { binomialTest, studentTUpperQuantile, wilsonInterval } from '@bucketry/stats';
import { readLines } from '../input/read-lines.js';
import type { BadLineExample } from './accumulator.js';
import { DEFAULT_CLICK_EVENT, InterleavingTally, type Impression } from './interleaving-tally.js';

/** A confidence interval's ends. */
type Bounds = { readonly low: number; readonly high: number };

/**
 * What {@link analyzeInterleaving} takes.
 *
 * @example
 * ```ts
 * const options: InterleavingOptions = { experiment: 'skill_order', clickEvent: 'item_clicked', confidence: 0.95 };
 * ```
 */
export interface InterleavingOptions {
  /** The experiment key on the exposures and clicks. */
  readonly experiment: string;
  /** The click event's name (default `item_clicked`); its properties are `{ experiment, query, item }`. */
  readonly clickEvent?: string;
  /** Two-sided level of the intervals and of the verdict (default 0.95). */
  readonly confidence?: number;
  /** Bad lines listed in the report (default 20; all are counted). */
  readonly maxBadLineExamples?: number;
}

/**
 * An interleaving experiment's result. Impressions are (unit, query, list); one is won by the
 * ranker with more credited clicks. Each unit with a decided impression (won by A or B) has a
 * share of them won by B; `preference` is the mean of those shares over units, with a Student t
 * interval over units. `signTest` counts units preferring B (more impressions won by B than by A)
 * against units preferring A, with the exact two-sided binomial p-value. `verdict` is the ranker
 * preferred at the confidence level (the sign test below 1 − confidence), else `none`.
 *
 * @example
 * ```ts
 * const report = await analyzeInterleaving(createReadStream('events.jsonl'), { experiment: 'skill_order' });
 * if (report.verdict === 'B') console.log(`B preferred: ${report.preference.share}`);
 * ```
 */
export interface InterleavingReport {
  readonly analysis: 'interleaving';
  readonly experiment: string;
  readonly clickEvent: string;
  readonly confidence: number;
  readonly verdict: 'A' | 'B' | 'none';
  readonly impressions: {
    readonly total: number;
    readonly wonByA: number;
    readonly wonByB: number;
    /** As many credited clicks for A as for B (at least one each). */
    readonly ties: number;
    /** Clicked, but only on items with no team. */
    readonly onlyUncreditedClicks: number;
    readonly noClicks: number;
    /** Impressions per interleaving method (team-draft, balanced). */
    readonly byMethod: Readonly<Record<string, number>>;
  };
  readonly units: {
    readonly total: number;
    /** Units with at least one impression won by A or B: those the preference is measured on. */
    readonly decided: number;
    readonly preferringA: number;
    readonly preferringB: number;
    /** Units with decided impressions, as many won by A as by B. */
    readonly tied: number;
    /** Units with impressions but no decided one (no clicks, ties, uncredited clicks only). */
    readonly undecided: number;
    readonly withoutClicks: number;
  };
  /** Mean over decided units of the share of their decided impressions won by B; null with none. */
  readonly preference: { readonly share: number; readonly interval: Bounds | null; readonly standardError: number | null } | null;
  /** Units preferring B among units preferring either; null when none prefers either. */
  readonly signTest: { readonly preferringB: number; readonly units: number; readonly share: number; readonly interval: Bounds; readonly pValue: number } | null;
  /** Impressions won by B among impressions won by A or B (not independent: units repeat). */
  readonly impressionShare: number | null;
  readonly clicks: {
    readonly total: number;
    readonly credited: number;
    readonly uncredited: number;
    readonly onItemsNotShown: number;
    readonly withoutExposure: number;
    readonly duplicates: number;
  };
  readonly input: {
    readonly lines: number;
    readonly exposures: number;
    readonly exposuresWithoutList: number;
    readonly repeatedExposures: number;
    readonly badLines: { readonly count: number; readonly byReason: Readonly<Record<string, number>>; readonly examples: readonly BadLineExample[] };
  };
}

/** Each unit's impressions won by A and by B, and whether any was clicked. */
function perUnit(impressions: readonly Impression[]): Map<string, { wonA: number; wonB: number; clicked: boolean }> {
  const units = new Map<string, { wonA: number; wonB: number; clicked: boolean }>();
  for (const impression of impressions) {
    let unit = units.get(impression.unit);
    if (unit === undefined) units.set(impression.unit, (unit = { wonA: 0, wonB: 0, clicked: false }));
    if (impression.clicksA > impression.clicksB) unit.wonA++;
    else if (impression.clicksB > impression.clicksA) unit.wonB++;
    if (impression.clicksA + impression.clicksB + impression.clicksUncredited > 0) unit.clicked = true;
  }
  return units;
}

/** Mean of the shares with a Student t interval (n − 1 degrees of freedom); no interval for one share. */
function meanShare(shares: readonly number[], confidence: number): InterleavingReport['preference'] {
  const n = shares.length;
  if (n === 0) return null;
  const share = shares.reduce((sum, s) => sum + s, 0) / n;
  if (n < 2) return { share, interval: null, standardError: null };
  const variance = shares.reduce((sum, s) => sum + (s - share) ** 2, 0) / (n - 1);
  const standardError = Math.sqrt(variance / n);
  const half = studentTUpperQuantile((1 - confidence) / 2, n - 1) * standardError;
  return { share, standardError, interval: { low: Math.max(0, share - half), high: Math.min(1, share + half) } };
}

/** Judges a tally's impressions (see {@link InterleavingReport}). */
export function judgeInterleaving(tally: InterleavingTally, impressions: readonly Impression[], options: InterleavingOptions): InterleavingReport {
  const confidence = options.confidence ?? 0.95;
  const byMethod: Record<string, number> = {};
  let wonByA = 0;
  let wonByB = 0;
  let ties = 0;
  let noClicks = 0;
  let onlyUncreditedClicks = 0;
  for (const { clicksA, clicksB, clicksUncredited, method } of impressions) {
    if (clicksA > clicksB) wonByA++;
    else if (clicksB > clicksA) wonByB++;
    else if (clicksA > 0) ties++;
    else if (clicksUncredited > 0) onlyUncreditedClicks++;
    else noClicks++;
    byMethod[method] = (byMethod[method] ?? 0) + 1;
  }

  const units = [...perUnit(impressions).values()];
  const decided = units.filter((u) => u.wonA + u.wonB > 0);
  const preferringA = decided.filter((u) => u.wonA > u.wonB).length;
  const preferringB = decided.filter((u) => u.wonB > u.wonA).length;
  const preference = meanShare(
    decided.map((u) => u.wonB / (u.wonA + u.wonB)),
    confidence,
  );
  const signUnits = preferringA + preferringB;
  const signTest =
    signUnits === 0
      ? null
      : { preferringB, units: signUnits, share: preferringB / signUnits, interval: wilsonInterval(preferringB, signUnits, confidence), pValue: binomialTest(preferringB, signUnits) };
  const verdict = signTest === null || signTest.pValue >= 1 - confidence || preferringA === preferringB ? 'none' : preferringB > preferringA ? 'B' : 'A';
  const { counts } = tally;
  return {
    analysis: 'interleaving',
    experiment: options.experiment,
    clickEvent: options.clickEvent ?? DEFAULT_CLICK_EVENT,
    confidence,
    verdict,
    impressions: { total: impressions.length, wonByA, wonByB, ties, onlyUncreditedClicks, noClicks, byMethod },
    units: {
      total: units.length,
      decided: decided.length,
      preferringA,
      preferringB,
      tied: decided.length - preferringA - preferringB,
      undecided: units.length - decided.length,
      withoutClicks: units.filter((u) => !u.clicked).length,
    },
    preference,
    signTest,
    impressionShare: wonByA + wonByB === 0 ? null : wonByB / (wonByA + wonByB),
    clicks: {
      total: counts.clicks,
      credited: counts.creditedClicks,
      uncredited: counts.uncreditedClicks,
      onItemsNotShown: counts.clicksOnItemsNotShown,
      withoutExposure: counts.clicksWithoutExposure,
      duplicates: counts.duplicateClicks,
    },
    input: {
      lines: counts.lines,
      exposures: counts.exposures,
      exposuresWithoutList: counts.exposuresWithoutList,
      repeatedExposures: counts.repeatedExposures,
      badLines: { count: counts.badLines, byReason: Object.fromEntries(counts.badLinesByReason), examples: counts.badLineExamples },
    },
  };
}

/**
 * Analyses an interleaving experiment in an export (JSON lines, gzip or not): its interleaving
 * exposures (written by `bucketry.expose(list)`) and its click events. See {@link InterleavingReport}.
 *
 * @example
 * ```ts
 * const report = await analyzeInterleaving(createReadStream('events.jsonl'), { experiment: 'skill_order' });
 * console.log(report.preference?.share, report.signTest?.pValue);
 * ```
 */
export async function analyzeInterleaving(
  source: Readable | AsyncIterable<Buffer>,
  options: InterleavingOptions,
  onBadLine?: (line: number, reason: string) => void,
): Promise<InterleavingReport> {
  const tally = new InterleavingTally(options.experiment, options.clickEvent, options.maxBadLineExamples, onBadLine);
  await readLines(source, { line: (text, n) => tally.line(text, n), tooLong: (n) => tally.tooLong(n) });
  return judgeInterleaving(tally, tally.finish(), options);
}
