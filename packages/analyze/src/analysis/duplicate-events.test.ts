import { describe, expect, it } from 'vitest';
import { formatHtml } from '../format/html.js';
import { formatText } from '../format/text.js';
import { simulateExport } from '../simulate/simulate.js';
import { analyzeText } from './hand-written-export.test-helper.js';
import type { AnalyzeOptions } from './options.js';
import type { AnalysisReport } from './report.js';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';

useSlowTestTimeouts();

const OPTIONS: AnalyzeOptions = { experiment: 'skill_tree_layout', variants: ['tree', 'list'], metrics: ['session_started_from_tree'], values: [{ event: 'skill_tree_loaded', property: 'duration_ms' }] };
/** Lines whose events the analysis counts: exposures, the metric, durations and values. */
const USED = /"(experiment_exposure|session_started_from_tree|skill_tree_loaded)"/;

const analyse = (lines: readonly string[], options: AnalyzeOptions = OPTIONS) => analyzeText(lines, options);

/** The report less the input summary's line and event counts, which count every line read, copies too. */
function results(report: AnalysisReport) {
  const { lines, events, flavors, duplicateEvents, eventsWithoutId, ...input } = report.input;
  return { ...report, input };
}

/** The export with a batch of its used lines delivered again, at once and at the end. */
function redelivered(lines: readonly string[]) {
  const batch = lines.filter((line) => USED.test(line)).slice(400, 700);
  const copies = [...lines.slice(0, 1000), ...batch.slice(0, 50), ...lines.slice(1000), ...batch];
  return { copies, duplicates: batch.length + 50 };
}

describe('duplicate events', () => {
  it.each(['segment', 'amplitude'] as const)('are ignored by event id (%s export): the results are those of the export without them', async (format) => {
    const lines = [...simulateExport({ users: 3000, rollout: 50, seed: 5, format })];
    const original = await analyse(lines);
    const { copies, duplicates } = redelivered(lines);
    const report = await analyse(copies);
    expect(report.input.duplicateEvents).toBe(duplicates);
    expect(original.input.duplicateEvents).toBe(0);
    expect(report.input.eventsWithoutId).toBe(0);
    expect(report.input.events).toBe(original.input.events + duplicates);
    expect(results(report)).toEqual(results(original));
  });

  it("reads Amplitude's export name, $insert_id, too", async () => {
    const lines = [...simulateExport({ users: 1000, rollout: 50, seed: 6, format: 'amplitude' })].map((line) => line.replace('"insert_id":', '"$insert_id":'));
    const { copies, duplicates } = redelivered(lines);
    expect((await analyse(copies)).input.duplicateEvents).toBe(duplicates);
  });

  it('keeps and counts events without an id; an empty or non-string id is none', async () => {
    const exposure = (unit: string, variant: string, extra: object) =>
      JSON.stringify({ event: 'experiment_exposure', unit, experiment: 'skill_tree_layout', variant, timestamp: '2025-06-02T08:00:00.000Z', ...extra });
    const lines = [
      exposure('u1', 'tree', { eventId: 'e1' }),
      exposure('u1', 'tree', { eventId: 'e1' }), // a copy
      exposure('u2', 'list', {}),
      exposure('u2', 'list', {}), // no id: cannot be told from a second exposure
      exposure('u3', 'list', { eventId: '' }),
      exposure('u4', 'list', { eventId: 7 }),
      exposure('u5', 'tree', { eventId: 'e\\u0031' }), // e1 written with an escape: the same id
      exposure('u5', 'tree', { eventId: 'e5' }),
    ];
    const report = await analyse(lines.map((line) => line.replace('e\\\\u0031', 'e\\u0031')), { experiment: 'skill_tree_layout', variants: ['tree', 'list'] });
    expect(report.input).toMatchObject({ events: 8, duplicateEvents: 2, eventsWithoutId: 4 });
    expect(report.variants.map((v) => v.exposures)).toEqual([2, 4]);
    expect(formatText(report)).toContain('\n  2 duplicate events ignored: an event id counted already (a batch delivered twice?)\n  4 events without an event id: a copy of one would be counted again\n');
    expect(formatHtml(report)).toContain(', 2 duplicates ignored;');
  });

  it('never drops a bad line or an exposure to another experiment as a copy', async () => {
    const line = (extra: object) => JSON.stringify({ type: 'track', event: 'experiment_exposure', userId: 'u1', timestamp: '2025-06-02T08:00:00.000Z', messageId: 'm1', ...extra });
    const lines = [
      line({ properties: { experiment: 'checkout', variant: 'a' } }),
      line({ properties: { experiment: 'skill_tree_layout', variant: 'nope' } }),
      line({ properties: { experiment: 'skill_tree_layout', variant: 'tree' } }),
      line({ properties: { experiment: 'skill_tree_layout', variant: 'tree' } }),
      line({ properties: { experiment: 'checkout', variant: 'a' } }),
    ];
    const report = await analyse(lines, { experiment: 'skill_tree_layout', variants: ['tree', 'list'] });
    expect(report.input).toMatchObject({ duplicateEvents: 1, otherExperimentExposures: 2, badLines: { count: 1 } });
  });
});
