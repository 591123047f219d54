import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseGuardrailSpec } from '../policy/guardrail-spec.js';
import { analyzeStream, checkReadableFile, UnusableInputError } from './analyze.js';
import { analyzeText, at, exposure, SKILL_TREE, streamOf, track } from './hand-written-export.test-helper.js';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';

useSlowTestTimeouts();

describe('analyzeStream on hand-written exports', () => {
  it('counts exposures, distinct units, units in two variants, and conversions only after the first exposure', async () => {
    const report = await analyzeText(
      [
        track('a', 'session_started_from_tree', 5), // after a's first exposure (line order does not matter)
        exposure('a', 'tree', 1),
        exposure('a', 'tree', 2),
        exposure('b', 'tree', 3),
        track('b', 'session_started_from_tree', 2), // before b's exposure: not a conversion
        exposure('c', 'list', 4),
        track('c', 'session_started_from_tree', 4), // same millisecond: counts
        exposure('d', 'list', 5),
        exposure('d', 'tree', 6), // d is in both: left out
        track('d', 'session_started_from_tree', 7),
        track('e', 'session_started_from_tree', 7), // never exposed
      ],
      { ...SKILL_TREE, metrics: ['session_started_from_tree'] },
    );
    expect(report.variants.map(({ name, exposures, units, mixedUnits }) => ({ name, exposures, units, mixedUnits }))).toEqual([
      { name: 'tree', exposures: 4, units: 2, mixedUnits: 1 },
      { name: 'list', exposures: 2, units: 1, mixedUnits: 1 },
    ]);
    expect(report.mixedUnits).toBe(1);
    expect(report.input.unexposedUnits).toBe(1);
    expect(report.metrics[0]!.variants.map((v) => [v.units, v.conversions])).toEqual([
      [2, 1],
      [1, 1],
    ]);
    expect(report.checks.find((c) => c.check === 'mixed-units')).toMatchObject({ status: 'warn' });
  });

  it('counts ids that differ only in a lone surrogate as two units, and a non-ASCII id as one', async () => {
    // JSON.stringify escapes a lone surrogate, so these lines go to JSON.parse and reach the unit table as strings.
    const report = await analyzeText([exposure('id\ud800', 'tree', 1), exposure('id\udbff', 'list', 1), exposure('żółw', 'tree', 2), exposure('żółw', 'tree', 3)]);
    expect(report.variants.map(({ units, mixedUnits }) => [units, mixedUnits])).toEqual([
      [2, 0],
      [1, 0],
    ]);
    expect(report.input.distinctUnits).toBe(3);
  });

  it('reports bad lines with line number and reason, skips them, and goes on', async () => {
    const lines = [
      exposure('a', 'tree', 1),
      '{"type":"track","event":"experiment_exposure","userId":"x"', // truncated
      exposure('b', 'grid', 1),
      JSON.stringify({ event: 'experiment_exposure', properties: { experiment: 'skill_tree_layout', variant: 'tree' }, timestamp: at(1) }),
      JSON.stringify({ event: 'experiment_exposure', userId: 'c', properties: { experiment: 'skill_tree_layout', variant: 'tree' }, timestamp: 'yesterday' }),
      'upstream connect error',
      '',
      track('a', 'skill_tree_loaded', 2, { duration_ms: -4 }),
      exposure('z', 'list', 3),
    ];
    const seen: [number, string][] = [];
    const report = await analyzeStream(streamOf(lines.join('\n')), SKILL_TREE, { onBadLine: (line, reason) => seen.push([line, reason]) });
    expect(seen.map(([line]) => line)).toEqual([2, 3, 4, 5, 6, 8]);
    expect(seen[0]![1]).toMatch(/^not JSON \(/);
    expect(seen[1]![1]).toBe('unknown variant "grid" (expected tree, list)');
    expect(seen[2]![1]).toBe('missing unit: no userId or anonymousId on "experiment_exposure"');
    expect(seen[3]![1]).toMatch(/^bad timestamp "yesterday" in timestamp/);
    expect(seen[4]![1]).toBe('not JSON (not a {...} object)');
    expect(seen[5]![1]).toBe('properties.duration_ms is -4, must be a number >= 0 (milliseconds)');
    expect(report.input.badLines).toMatchObject({
      count: 6,
      byReason: { 'not JSON': 2, 'unknown variant': 1, 'missing unit': 1, 'bad timestamp': 1, 'bad duration': 1 },
    });
    expect(report.input.badLines.examples[1]).toEqual({ line: 3, reason: 'unknown variant "grid" (expected tree, list)' });
    expect(report.input).toMatchObject({ lines: 9, blankLines: 1 });
    expect(report.variants.map((v) => v.units)).toEqual([1, 1]);
  });

  it("counts Amplitude Experiment's $exposure, whose experiment is flag_key", async () => {
    const amplitude = (user: string, variant: string) =>
      JSON.stringify({ event_type: '$exposure', user_id: user, event_time: '2025-06-02 08:00:00.000000', event_properties: { flag_key: 'skill_tree_layout', variant } });
    const report = await analyzeText([amplitude('a', 'tree'), amplitude('b', 'list'), amplitude('c', 'list')]);
    expect(report.variants.map((v) => v.units)).toEqual([1, 2]);
    expect(report.input.flavors.amplitude).toBe(3);
  });

  it('parses every line in strict mode, so garbage that looks like an object is reported too', async () => {
    const lines = ['{"event": "page_viewed", broken}', exposure('a', 'tree', 1), exposure('b', 'list', 1)];
    expect((await analyzeText(lines)).input).toMatchObject({ unrelatedLines: 1, badLines: { count: 0 } });
    expect((await analyzeText(lines, { ...SKILL_TREE, strict: true })).input.badLines.count).toBe(1);
  });

  it('calls an unparsed line with control characters not JSON, between lines that look like objects too', async () => {
    for (const junk of ['\u0000\u0000', '\f', '\u0001{"page":"/"}', '{"page":"/"}\u0001']) {
      const lines = [exposure('a', 'tree', 1), '{"page":"/"}', junk, '{"page":"/"}', exposure('b', 'list', 1)];
      const seen: [number, string][] = [];
      const report = await analyzeStream(streamOf(lines.join('\n') + '\n'), SKILL_TREE, { onBadLine: (line, reason) => seen.push([line, reason]) });
      expect({ junk, unrelated: report.input.unrelatedLines, seen }).toEqual({ junk, unrelated: 2, seen: [[3, 'not JSON (not a {...} object)']] });
    }
  });

  it('refuses input without one exposure of the experiment, naming the experiments it did see', async () => {
    const other = JSON.stringify({ event: 'experiment_exposure', userId: 'a', properties: { experiment: 'checkout_v2', variant: 'new' }, timestamp: at(0) });
    await expect(analyzeText([other])).rejects.toThrow(UnusableInputError);
    await expect(analyzeText([other])).rejects.toThrow('no exposures of experiment "skill_tree_layout" (1 lines; 0 bad; exposures of other experiments: checkout_v2)');
    await expect(analyzeText([])).rejects.toThrow('no exposures of experiment');
  });

  it('calls a truncated gzip unusable, saying where it broke off', async () => {
    const packed = gzipSync([exposure('a', 'tree', 1), exposure('b', 'list', 2)].join('\n').repeat(200));
    await expect(analyzeStream(streamOf(packed.subarray(0, packed.length - 20)), SKILL_TREE)).rejects.toThrow(
      /^cannot read the input after \d+ lines: unexpected end of file \(corrupt or truncated gzip\)$/,
    );
  });

  it("decides a failed sample ratio check by the policy's onFail", async () => {
    // Units in a variant weighted 0: the check fails outright.
    const lines = [exposure('a', 'tree', 1), exposure('b', 'list', 1)];
    const decisions = await Promise.all(
      (['hold', 'rollback', 'proceed'] as const).map(async (onFail) => {
        const report = await analyzeText(lines, { ...SKILL_TREE, weights: [0, 100], srm: { onFail } });
        return [report.srm.status, report.checks[0]!.outcome, report.decision];
      }),
    );
    expect(decisions).toEqual([
      ['fail', 'hold', 'hold'],
      ['fail', 'rollback', 'rollback'],
      ['fail', 'proceed', 'proceed'],
    ]);
  });

  it('keeps config versions apart when asked, and warns when they are pooled', async () => {
    const lines = [exposure('a', 'tree', 1), exposure('b', 'list', 1), exposure('c', 'list', 2, { configVersion: 'v2' })];
    const pooled = await analyzeText(lines);
    expect(pooled.input.configVersions).toEqual({ v1: 2, v2: 1 });
    expect(pooled.checks.find((c) => c.check === 'config-versions')?.status).toBe('warn');
    const v2 = await analyzeText(lines, { ...SKILL_TREE, configVersion: 'v2' });
    expect(v2.variants.map((v) => v.units)).toEqual([0, 1]);
    expect(v2.input.otherVersionExposures).toBe(2);
    expect(v2.checks.find((c) => c.check === 'missing-variant')).toMatchObject({ outcome: 'hold', variant: 'tree' });
    expect(v2.decision).toBe('hold');
  });

  it('prints zero session starts in quiet periods: every bucket is there, with zeros, and nothing is NaN', async () => {
    const lines = [exposure('a', 'tree', 0), exposure('b', 'list', 1), exposure('c', 'tree', 185)];
    const report = await analyzeText(lines, { ...SKILL_TREE, metrics: ['session_started_from_tree'], intervalMs: 3_600_000 });
    expect(report.balance.buckets.map((b) => [b.start, b.units, b.shares, b.conversions])).toEqual([
      ['2025-06-02T08:00:00.000Z', [1, 1], [0.5, 0.5], [[0, 0]]],
      ['2025-06-02T09:00:00.000Z', [0, 0], [null, null], [[0, 0]]],
      ['2025-06-02T10:00:00.000Z', [0, 0], [null, null], [[0, 0]]],
      ['2025-06-02T11:00:00.000Z', [1, 0], [1, 0], [[0, 0]]],
    ]);
    expect(report.metrics[0]!.variants.map((v) => v.conversions)).toEqual([0, 0]);
    expect(JSON.stringify(report)).not.toMatch(/NaN|undefined/);
  });

  it("warns, without deciding, when a rate or percentile guardrail's event is nowhere in the export", async () => {
    const guardrails = [parseGuardrailSpec('rate:skill_tree_error:2%:5%'), parseGuardrailSpec('p95:skill_tree_loaded:5s:10s')];
    const lines = [exposure('a', 'tree', 0), exposure('b', 'list', 0)];
    const unmeasured = await analyzeText(lines, { ...SKILL_TREE, guardrails });
    expect(unmeasured.guardrails.map((g) => [g.measured, g.outcome, g.arms])).toEqual([
      [false, 'proceed', []],
      [false, 'proceed', []],
    ]);
    expect(unmeasured.checks.filter((c) => c.check === 'guardrail').map((c) => c.status)).toEqual(['warn', 'warn']);
    expect(unmeasured.decision).toBe('proceed');
    // Durations in control only: the treatment's p95 cannot be checked, so it holds.
    const controlOnly = await analyzeText([...lines, track('a', 'skill_tree_loaded', 1, { duration_ms: 300 })], { ...SKILL_TREE, guardrails });
    expect(controlOnly.guardrails[1]).toMatchObject({ measured: true, outcome: 'hold', arms: [{ variant: 'list', reading: { kind: 'not-judged', why: 'no-durations' } }] });
    expect(controlOnly.decision).toBe('hold');
  });

});

describe('checkReadableFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bucketry-check-'));

  it('resolves with the size of a readable file', async () => {
    const file = join(dir, 'export.jsonl');
    writeFileSync(file, '{"event":"x"}\n');
    await expect(checkReadableFile(file)).resolves.toBe(14);
  });

  it('rejects a missing path and a directory with UnusableInputError and a plain reason', async () => {
    const missing = join(dir, 'missing.jsonl');
    await expect(checkReadableFile(missing)).rejects.toThrow(new UnusableInputError(`cannot read ${missing}: no such file`));
    await expect(checkReadableFile(dir)).rejects.toThrow(new UnusableInputError(`cannot read ${dir}: not a file`));
    await expect(checkReadableFile(dir)).rejects.toBeInstanceOf(UnusableInputError);
  });
});
