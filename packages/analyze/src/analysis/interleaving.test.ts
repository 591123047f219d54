import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyzeInterleaving, judgeInterleaving } from './interleaving.js';
import { InterleavingTally, type Impression } from './interleaving-tally.js';

// Written by fixtures/make_interleaving_reference.py: means with Student t intervals, Wilson
// intervals and binomial tests by SciPy, for the hand-written export below and 400 random units.
const reference = JSON.parse(readFileSync(new URL('../../fixtures/interleaving_reference.json', import.meta.url), 'utf8')) as {
  cases: { name: string; wins: number[]; decided: number[]; mean: number; standardError: number; low: number; high: number; preferringB: number; units: number; wilsonLow: number; wilsonHigh: number; pValue: number }[];
};
const close = (actual: number | undefined, expected: number) => expect(actual).toBeCloseTo(expected, 10);

const T0 = Date.parse('2025-06-02T08:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
let ids = 0;
type Team = 'A' | 'B' | null;

/** A Segment exposure of skill_order with a list of [item, team] pairs. */
const shown = (unit: string, query: string, minute: number, list: [string, Team][]) =>
  JSON.stringify({
    type: 'track',
    event: 'experiment_exposure',
    userId: unit,
    timestamp: at(minute),
    messageId: `e${ids++}`,
    properties: { experiment: 'skill_order', variant: 'interleaved', interleaving: { query, method: 'team-draft', items: list.map(([id]) => id), teams: list.map(([, team]) => team) } },
  });
const clicked = (unit: string, query: string, item: string, minute: number, messageId = `c${ids++}`) =>
  JSON.stringify({ type: 'track', event: 'item_clicked', userId: unit, timestamp: at(minute), messageId, properties: { experiment: 'skill_order', query, item } });

// Worked by hand: the impression winners, per-unit shares and the counts asserted below.
const EXPORT = [
  // u1: q1 won by B; q2 B 2 (two clicks on s1) to A 1 → B. Share 2/2.
  shown('u1', 'q1', 0, [['s1', 'A'], ['s2', 'B'], ['s3', 'A'], ['s4', 'B']]),
  clicked('u1', 'q1', 's2', 1),
  shown('u1', 'q2', 2, [['s1', 'B'], ['s2', 'A']]),
  clicked('u1', 'q2', 's2', 3),
  clicked('u1', 'q2', 's1', 3),
  clicked('u1', 'q2', 's1', 4),
  // u2: q1 won by A; q2 clicked only on the item with no team. Share 0/1.
  shown('u2', 'q1', 0, [['s1', 'A'], ['s2', 'B']]),
  clicked('u2', 'q1', 's1', 1),
  shown('u2', 'q2', 0, [['s5', 'A'], ['s6', 'B'], ['s7', null]]),
  clicked('u2', 'q2', 's7', 1),
  // u3: q1 a tie; q2 won by B; q3 won by A. Share 1/2, a tied unit.
  shown('u3', 'q1', 0, [['s1', 'B'], ['s2', 'A']]),
  clicked('u3', 'q1', 's1', 1),
  clicked('u3', 'q1', 's2', 1),
  shown('u3', 'q2', 0, [['s1', 'A'], ['s2', 'B']]),
  clicked('u3', 'q2', 's2', 1),
  shown('u3', 'q3', 0, [['s3', 'A'], ['s4', 'B']]),
  clicked('u3', 'q3', 's3', 1),
  // u4: shown, never clicked.
  shown('u4', 'q1', 0, [['s1', 'A'], ['s2', 'B']]),
  // u5: won by B; a click on an item not shown; the list shown again (a reload); a redelivered click.
  shown('u5', 'q1', 0, [['s1', 'A'], ['s2', 'B']]),
  clicked('u5', 'q1', 's2', 1, 'dup-1'),
  clicked('u5', 'q1', 's9', 1),
  shown('u5', 'q1', 5, [['s1', 'A'], ['s2', 'B']]),
  clicked('u5', 'q1', 's2', 1, 'dup-1'),
  // u6: a click with no exposure for its unit and query.
  clicked('u6', 'q1', 's1', 1),
  // u7: a Bucketry sink's own JSON (unit and interleaving at the top level), won by B.
  JSON.stringify({ event: 'experiment_exposure', unit: 'u7', experiment: 'skill_order', variant: 'interleaved', timestamp: at(0), eventId: 'x7', interleaving: { query: 'q1', method: 'balanced', items: ['s1', 's2'], teams: ['A', 'B'] } }),
  clicked('u7', 'q1', 's2', 1),
  // u9: two lists for q1; each click goes to the one shown last before it. First won by A, second by B.
  shown('u9', 'q1', 0, [['s1', 'A'], ['s2', 'B']]),
  clicked('u9', 'q1', 's1', 5),
  shown('u9', 'q1', 10, [['s2', 'A'], ['s1', 'B']]),
  clicked('u9', 'q1', 's1', 11),
  // Not counted: another experiment, an exposure of skill_order without a list, bad lines.
  JSON.stringify({ type: 'track', event: 'experiment_exposure', userId: 'u1', timestamp: at(0), properties: { experiment: 'skill_tree_layout', variant: 'list' } }),
  JSON.stringify({ type: 'track', event: 'experiment_exposure', userId: 'u8', timestamp: at(0), properties: { experiment: 'skill_order', variant: 'ranker_a' } }),
  '{"type":"track","event":"item_clicked"',
  JSON.stringify({ type: 'track', event: 'experiment_exposure', userId: 'u8', timestamp: at(0), properties: { experiment: 'skill_order', interleaving: { query: 'q1', method: 'team-draft', items: ['s1', 's2'], teams: ['A'] } } }),
  JSON.stringify({ type: 'track', event: 'item_clicked', userId: 'u8', timestamp: at(1), properties: { experiment: 'skill_order', query: 'q1' } }),
];

describe('analyzeInterleaving on a hand-written export', () => {
  it('credits each click to its item’s team in the list shown, and counts every click and line that does not count', async () => {
    const lines: [number, string][] = [];
    const report = await analyzeInterleaving(Readable.from([Buffer.from(EXPORT.join('\n') + '\n')]), { experiment: 'skill_order' }, (n, reason) => lines.push([n, reason]));
    expect(report.impressions).toEqual({ total: 12, wonByA: 3, wonByB: 6, ties: 1, onlyUncreditedClicks: 1, noClicks: 1, byMethod: { 'team-draft': 11, balanced: 1 } });
    expect(report.units).toEqual({ total: 7, decided: 6, preferringA: 1, preferringB: 3, tied: 2, undecided: 1, withoutClicks: 1 });
    expect(report.clicks).toEqual({ total: 16, credited: 13, uncredited: 1, onItemsNotShown: 1, withoutExposure: 1, duplicates: 1 });
    expect(report.impressionShare).toBe(6 / 9);
    expect(report.input).toMatchObject({ lines: EXPORT.length, exposures: 15, exposuresWithoutList: 1, repeatedExposures: 1 });
    expect(report.input.badLines.count).toBe(3);
    expect(report.input.badLines.byReason).toEqual({ 'not JSON': 1, 'bad interleaving': 1, 'bad click': 1 });
    const at = (text: string) => EXPORT.indexOf(text) + 1;
    expect(lines.map(([n]) => n)).toEqual([at('{"type":"track","event":"item_clicked"'), EXPORT.length - 1, EXPORT.length]);
    expect(lines[1]![1]).toBe('interleaving.teams is ["A"], must give each of the 2 items "A", "B" or null');
    expect(lines[2]![1]).toBe('item_clicked: properties.item is undefined, must be the id of the item clicked');
    expect(report.verdict).toBe('none');
  });

  it('matches SciPy on the per-unit shares, the Wilson interval and the sign test', async () => {
    const report = await analyzeInterleaving(Readable.from([Buffer.from(EXPORT.join('\n'))]), { experiment: 'skill_order' });
    const expected = reference.cases.find((c) => c.name === 'hand-written export')!;
    close(report.preference?.share, expected.mean);
    close(report.preference?.standardError ?? undefined, expected.standardError);
    close(report.preference?.interval?.low, expected.low);
    close(report.preference?.interval?.high, expected.high);
    expect(report.signTest).toMatchObject({ preferringB: expected.preferringB, units: expected.units });
    close(report.signTest?.interval.low, expected.wilsonLow);
    close(report.signTest?.interval.high, expected.wilsonHigh);
    close(report.signTest?.pValue, expected.pValue);
  });

  it('reads another click event when told, and none of item_clicked then', async () => {
    const renamed = EXPORT.map((line) => line.replace('"event":"item_clicked"', '"event":"skill_opened"'));
    const report = await analyzeInterleaving(Readable.from([Buffer.from(renamed.join('\n'))]), { experiment: 'skill_order', clickEvent: 'skill_opened' });
    expect(report.clicks.total).toBe(16);
    expect((await analyzeInterleaving(Readable.from([Buffer.from(renamed.join('\n'))]), { experiment: 'skill_order' })).clicks.total).toBe(0);
  });
});

describe('judgeInterleaving', () => {
  /** Impressions for units with `decided[i]` decided impressions, `wins[i]` of them won by B. */
  const impressionsOf = (wins: number[], decided: number[]): Impression[] =>
    wins.flatMap((won, u) =>
      Array.from({ length: decided[u]! }, (_, i) => ({ unit: `u${u}`, query: `q${i}`, method: 'team-draft', time: 0, items: ['a', 'b'], teams: ['A', 'B'] as Team[], clicksA: i < won ? 0 : 1, clicksB: i < won ? 1 : 0, clicksUncredited: 0 })),
    );

  it('matches SciPy on 400 units with a preference of 0.6, and prefers B', () => {
    const expected = reference.cases.find((c) => c.name === '400 units at 0.6')!;
    const report = judgeInterleaving(new InterleavingTally('x'), impressionsOf(expected.wins, expected.decided), { experiment: 'x' });
    close(report.preference?.share, expected.mean);
    close(report.preference?.interval?.low, expected.low);
    close(report.preference?.interval?.high, expected.high);
    expect(report.signTest).toMatchObject({ preferringB: expected.preferringB, units: expected.units });
    close(report.signTest?.pValue, expected.pValue);
    expect(report.verdict).toBe('B');
  });

  it('prefers A when the units do, and neither with no decided impression', () => {
    const expected = reference.cases.find((c) => c.name === '400 units at 0.6')!;
    const flipped = judgeInterleaving(new InterleavingTally('x'), impressionsOf(expected.wins.map((w, i) => expected.decided[i]! - w), expected.decided), { experiment: 'x' });
    expect(flipped.verdict).toBe('A');
    close(flipped.preference?.share, 1 - expected.mean);
    const empty = judgeInterleaving(new InterleavingTally('x'), [], { experiment: 'x' });
    expect([empty.verdict, empty.preference, empty.signTest, empty.impressionShare]).toEqual(['none', null, null, null]);
  });
});
