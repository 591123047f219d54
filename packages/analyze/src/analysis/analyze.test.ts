import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseGuardrailSpec } from '../policy/guardrail-spec.js';
import { PRESETS } from '../policy/presets.js';
import { Random } from '@bucketry/stats';
import { simulateExport, type SimulateOptions } from '../simulate/simulate.js';
import { alwaysValidEstimates, mixtureSpread } from '@bucketry/stats';
import { welchTTest } from '@bucketry/stats';
import { analyzeStream, checkReadableFile, UnusableInputError } from './analyze.js';
import type { AnalyzeOptions } from './options.js';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';

useSlowTestTimeouts();

const SKILL_TREE: AnalyzeOptions = { experiment: 'skill_tree_layout', variants: ['tree', 'list'] };
const smoke = PRESETS['smoke-10']!;
const SMOKE: AnalyzeOptions = { ...SKILL_TREE, weights: smoke.weights, guardrails: smoke.guardrails };

const streamOf = (text: string | Buffer) => Readable.from([Buffer.from(text)]);
const analyzeText = (lines: string[], options: AnalyzeOptions = SKILL_TREE) => analyzeStream(streamOf(lines.join('\n') + '\n'), options);
const simulated = (options: SimulateOptions) => [...simulateExport(options)];

const T0 = Date.UTC(2025, 5, 2, 8, 0, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const exposure = (user: string, variant: string, minutes: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'track', event: 'experiment_exposure', userId: user, properties: { experiment: 'skill_tree_layout', variant, configVersion: 'v1', ...extra }, timestamp: at(minutes) });
const track = (user: string, event: string, minutes: number, properties: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'track', event, userId: user, properties, timestamp: at(minutes) });

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

  it('keeps durations for at most 64 event names and counts the rest as dropped', async () => {
    const lines = [exposure('a', 'tree', 0), exposure('b', 'list', 0)];
    for (let e = 0; e < 70; e++) lines.push(track('a', `timed_${e}`, 1, { duration_ms: e }), track('b', `timed_${e}`, 1, { duration_ms: e }));
    const report = await analyzeText(lines);
    expect(report.durations).toHaveLength(64);
    expect(report.durations[63]!.event).toBe('timed_63');
    expect(report.input.droppedDurations).toBe(12);
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

  it('reads durations per event and variant, attributing them to the unit exposed before', async () => {
    const lines = [track('c', 'skill_tree_loaded', 1, { duration_ms: 5 })];
    for (let i = 1; i <= 100; i++) lines.push(exposure(`a${i}`, 'tree', 0), exposure(`b${i}`, 'list', 0));
    for (let i = 1; i <= 100; i++) lines.push(track(`a${i}`, 'skill_tree_loaded', i, { duration_ms: i }), track(`b${i}`, 'skill_tree_loaded', i, { latency_ms: 10 * i }));
    const report = await analyzeText(lines);
    const loaded = report.durations.find((d) => d.event === 'skill_tree_loaded')!;
    expect(loaded.field).toBe('duration_ms');
    expect(loaded.variants[0]).toMatchObject({ name: 'tree', count: 100, p50: 50.5 });
    expect(loaded.variants[0]!.p90).toBeCloseTo(90.1, 9);
    expect(loaded.variants[1]!.p95).toBeCloseTo(950.5, 9);
    expect(report.input.unattributedDurations).toBe(1);
    // Means and Welch's test on the same durations, one per unit: tree 1…100 ms, list 10…1000 ms.
    const tree = Array.from({ length: 100 }, (_, i) => i + 1);
    const list = tree.map((ms) => 10 * ms);
    const moments = (values: number[]) => {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      return { count: values.length, mean, sd: Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) };
    };
    expect(loaded.variants.map((v) => [v.mean, v.sd])).toEqual([
      [50.5, expect.closeTo(moments(tree).sd, 9)],
      [505, expect.closeTo(moments(list).sd, 9)],
    ]);
    const welch = welchTTest(moments(tree), moments(list))!;
    const anytime = alwaysValidEstimates(welch.difference, undefined, 200, 1 - 0.95, mixtureSpread(1 - 0.95, 10_000));
    expect(loaded.comparisons).toEqual([
      {
        treatment: 'list',
        control: 'tree',
        meanDifference: welch.difference,
        t: welch.t,
        df: welch.df,
        pValue: welch.pValue,
        sequential: { pValue: anytime.pValue, meanDifference: anytime.difference },
      },
    ]);
    // p95 of 100 values: ranks 95 ± 1.96·√(100·0.95·0.05·D) → 90 and 100 (D = 100/99 for one value per unit).
    expect(loaded.variants[0]!.p95Interval).toEqual({ low: 90, high: 100 });
    expect(loaded.variants.map((v) => v.units)).toEqual([100, 100]);
  });

  it('analyses durations on units: a unit with a thousand slow loads no longer dominates the means, the test or the percentile intervals', async () => {
    // 100 units per arm with one 100–199 ms load each, and one list unit with 1,000 loads of 5 s.
    const lines: string[] = [];
    for (let i = 0; i < 100; i++) {
      lines.push(exposure(`t${i}`, 'tree', 0), track(`t${i}`, 'skill_tree_loaded', 1, { duration_ms: 100 + i }));
      lines.push(exposure(`l${i}`, 'list', 0), track(`l${i}`, 'skill_tree_loaded', 1, { duration_ms: 100 + i }));
    }
    lines.push(exposure('whale', 'list', 0));
    for (let i = 0; i < 1000; i++) lines.push(track('whale', 'skill_tree_loaded', 2, { duration_ms: 5000 }));
    const loaded = (await analyzeText(lines)).durations[0]!;
    const [tree, list] = loaded.variants;
    expect([list!.count, list!.units]).toEqual([1100, 101]);
    // Per event the list mean would be 4,554 ms (p ≈ 0); per unit it is 197.5 ms, and Welch's test on the 201 units finds nothing.
    expect(tree!.mean).toBeCloseTo(149.5, 9);
    expect(list!.mean).toBeCloseTo((100 * 149.5 + 5000) / 101, 9);
    expect(loaded.comparisons[0]!.pValue!).toBeGreaterThan(0.05);
    expect(loaded.comparisons[0]!.df!).toBeLessThan(201);
    expect(loaded.comparisons[0]!.meanDifference!.estimate).toBeCloseTo(list!.mean! - tree!.mean!, 9);
  });

  it('widens the percentile intervals by the design effect when a unit\'s durations move together', async () => {
    // 100 units per arm, unit i with five loads of i ms: 500 durations, but only 100 independent
    // units. The count below the median then moves in steps of five: D = 5·100/99, and the ranks
    // are 250 ± 1.96·√(500·¼·D) = 200 and 300 (loads of 40 and 60 ms), where treating the loads
    // as independent (D = 1) would give ranks 229 and 272 (46 and 55 ms).
    const lines: string[] = [];
    for (let i = 1; i <= 100; i++) {
      lines.push(exposure(`t${i}`, 'tree', 0), exposure(`l${i}`, 'list', 0));
      for (let j = 0; j < 5; j++) lines.push(track(`t${i}`, 'skill_tree_loaded', 1 + j, { duration_ms: i }), track(`l${i}`, 'skill_tree_loaded', 1 + j, { duration_ms: i }));
    }
    const loaded = (await analyzeText(lines)).durations[0]!;
    for (const v of loaded.variants) {
      expect([v.count, v.units, v.p50]).toEqual([500, 100, 50.5]);
      expect(v.p50Interval).toEqual({ low: 40, high: 60 });
    }
  });

  it('reports the anytime-valid sample ratio test beside the chi-square, and decides by it when asked', async () => {
    const lines = simulated({ users: 8000, rollout: 10, seed: 7, srm: true });
    const chiSquare = await analyzeText(lines, SMOKE);
    const sequential = await analyzeText(lines, { ...SMOKE, srm: { test: 'sequential' } });
    expect(chiSquare.srm).toMatchObject({ test: 'chi-square', status: 'fail' });
    expect(sequential.srm).toMatchObject({ test: 'sequential', status: 'fail', pValue: chiSquare.srm.pValue });
    expect(sequential.srm.sequential!.pValue).toBeLessThan(0.001);
    expect(sequential.checks[sequential.reasons[0]!]).toMatchObject({ check: 'srm', status: 'fail', threshold: 0.001 });
    const healthy = await analyzeText(simulated({ users: 8000, rollout: 10, seed: 7 }), SMOKE);
    expect(healthy.srm.sequential!.pValue).toBeGreaterThan(0.5);
  });
});

describe('analyzeStream on simulated exports', () => {
  const base: SimulateOptions = { users: 20_000, rollout: 10, seed: 7, lift: 0.05 };

  it('finds a healthy 10% smoke test healthy: split as configured, guardrails pass, proceed', async () => {
    const report = await analyzeText(simulated(base), SMOKE);
    const [tree, list] = report.variants;
    expect(tree!.units + list!.units).toBe(20_000);
    expect(list!.share!).toBeGreaterThan(0.09);
    expect(list!.share!).toBeLessThan(0.11);
    expect(report.srm.status).toBe('ok');
    expect(report.guardrails.map((g) => g.outcome)).toEqual(['proceed', 'proceed', 'proceed']);
    expect(report.decision).toBe('proceed');
    expect(report.input.badLines.count).toBe(0);
  });

  it('catches the sample ratio mismatch of a treatment losing 20% of its users, and holds', async () => {
    const report = await analyzeText(simulated({ ...base, srm: true }), SMOKE);
    expect(report.srm.status).toBe('fail');
    expect(report.srm.pValue).toBeLessThan(1e-6);
    expect(report.decision).toBe('hold');
    expect(report.checks[report.reasons[0]!]).toMatchObject({ check: 'srm', status: 'fail', outcome: 'hold' });
  });

  it('rolls back at an error rate above 5% and holds on a p95 load time between 5 and 10 s', async () => {
    const errors = await analyzeText(simulated({ ...base, users: 5000, errorRate: 0.1 }), SMOKE);
    expect(errors.guardrails.find((g) => g.guardrail.type === 'rate')!.outcome).toBe('rollback');
    expect(errors.decision).toBe('rollback');
    // Median 2.5 s with σ 0.6 in log space: p95 ≈ 2.5 s · e^(0.6·1.645) ≈ 6.7 s.
    const slow = await analyzeText(simulated({ ...base, users: 5000, latencyMs: 2500 }), SMOKE);
    const p95 = slow.guardrails.find((g) => g.guardrail.type === 'percentile')!;
    expect(p95.outcome).toBe('hold');
    expect(p95.arms[0]!.value!).toBeGreaterThan(5000);
    expect(p95.arms[0]!.value!).toBeLessThan(10_000);
  });

  it('rolls back when session starts from the tree drop well below the 5% margin', async () => {
    const report = await analyzeText(simulated({ ...base, lift: -0.3 }), SMOKE);
    const guardrail = report.guardrails.find((g) => g.guardrail.type === 'non-inferiority')!;
    expect(guardrail.outcome).toBe('rollback');
    // Even the upper bound of the relative lift is below −5%.
    expect(guardrail.arms[0]).toMatchObject({ outcome: 'rollback', reading: { kind: 'bounds', alpha: 0.05, alwaysValid: false } });
    const reading = guardrail.arms[0]!.reading as { lower: number; upper: number };
    expect(reading.upper).toBeLessThan(-0.05);
    expect(guardrail.arms[0]!.value).toBe(reading.lower);
  });

  it('gives the same analysis for the Amplitude and Segment exports of the same simulation', async () => {
    const options = { ...SMOKE, metrics: ['session_started_from_tree'] };
    const segment = await analyzeText(simulated({ ...base, users: 3000 }), options);
    const amplitude = await analyzeText(simulated({ ...base, users: 3000, format: 'amplitude' }), options);
    expect(amplitude.input.flavors).toEqual({ segment: 0, amplitude: segment.input.flavors.segment, bucketry: 0 });
    const { input: _a, ...fromAmplitude } = amplitude;
    const { input: _s, ...fromSegment } = segment;
    expect(fromAmplitude).toEqual(fromSegment);
  });

  it('does not depend on line order (except durations, which need the exposure first) or on gzip', async () => {
    const lines = simulated({ ...base, users: 3000, mixedUnits: 0.02 });
    const options = { ...SMOKE, metrics: ['session_started_from_tree'] };
    const inOrder = await analyzeText(lines, options);
    const random = new Random(5);
    const shuffled = [...lines];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const reordered = await analyzeText(shuffled, options);
    expect(reordered.variants).toEqual(inOrder.variants);
    expect(reordered.metrics).toEqual(inOrder.metrics);
    expect(reordered.balance).toEqual(inOrder.balance);
    expect(inOrder.mixedUnits).toBeGreaterThan(20);
    const gzipped = await analyzeStream(streamOf(gzipSync(lines.join('\n'))), options);
    expect(gzipped).toEqual(inOrder);
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
