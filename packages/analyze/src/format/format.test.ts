import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyzeStream } from '../analysis/analyze.js';
import { PRESETS } from '../policy/presets.js';
import { simulateExport } from '../simulate/simulate.js';
import { checkMessage, reasonMessages } from './check-text.js';
import { formatHtml } from './html.js';
import { formatJson } from './json.js';
import { signedPoints } from './numbers.js';
import { formatText } from './text.js';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';

useSlowTestTimeouts();

const preset = PRESETS['smoke-10']!;
const options = { experiment: 'skill_tree_layout', variants: ['tree', 'list'], weights: preset.weights, guardrails: preset.guardrails, metrics: ['session_started_from_tree'] };
const report = async (lines: string[]) => analyzeStream(Readable.from([Buffer.from(lines.join('\n'))]), options);

const simulated = [...simulateExport({ users: 3000, rollout: 10, seed: 3, badLines: 4 })];

describe('formatJson', () => {
  it('prints one object with variants, srm, metrics, decision and reasons: the report itself, every field', async () => {
    const r = await report(simulated);
    const parsed = JSON.parse(formatJson(r));
    expect(parsed).toEqual(r);
    expect(parsed.variants.map((v: { name: string }) => v.name)).toEqual(['tree', 'list']);
    for (const v of parsed.variants) expect(v).toEqual(expect.objectContaining({ exposures: expect.any(Number), units: expect.any(Number) }));
    expect(parsed.srm).toEqual(expect.objectContaining({ chiSquare: expect.any(Number), pValue: expect.any(Number), status: 'ok' }));
    expect(parsed.metrics[0].name).toBe('session_started_from_tree');
    expect(['proceed', 'hold', 'rollback']).toContain(parsed.decision);
    expect(parsed.reasons.length).toBeGreaterThan(0);
    expect(parsed.input.badLines.count).toBeGreaterThan(0);
  });

  it('carries no sentences: every string is a name, a code or a time (wording is the formatters\'), under schema version 2', async () => {
    const r = await report(simulated);
    const parsed = JSON.parse(formatJson(r));
    expect(parsed.schemaVersion).toBe(2);
    // The bad lines' reasons are the input's description of each skipped line, quoted as found.
    const { badLines, ...input } = parsed.input;
    const strings: string[] = [];
    const collect = (value: unknown): void => {
      if (typeof value === 'string') strings.push(value);
      else if (value !== null && typeof value === 'object') for (const inner of Object.values(value)) collect(inner);
    };
    collect({ ...parsed, input });
    expect(strings.length).toBeGreaterThan(10);
    expect(strings.filter((s) => /\s/.test(s))).toEqual([]);
    expect(r.checks.map((c) => c.check)).toEqual(expect.arrayContaining(['srm', 'success-metric', 'bad-lines', 'guardrail']));
    expect(r.reasons.map((i) => r.checks[i]!.check).sort()).toEqual(r.checks.map((c) => c.check).sort());
    expect(badLines.count).toBeGreaterThan(0);
  });

  it('writes an infinite χ² as null', async () => {
    const exposure = (user: string, variant: string) =>
      JSON.stringify({ event: 'experiment_exposure', userId: user, properties: { experiment: 'skill_tree_layout', variant }, timestamp: '2025-06-02T08:00:00.000Z' });
    const r = await analyzeStream(Readable.from([Buffer.from([exposure('a', 'tree'), exposure('b', 'list')].join('\n'))]), { ...options, weights: [0, 100] });
    expect(r.srm.chiSquare).toBe(Infinity);
    expect(JSON.parse(formatJson(r)).srm).toMatchObject({ chiSquare: null, pValue: 0, status: 'fail' });
  });
});

describe('formatText', () => {
  it('leads with the decision and shows every section, bad lines with their line numbers', async () => {
    const r = await report(simulated);
    const text = formatText(r);
    expect(text.split('\n')[1]).toBe(`Decision: ${r.decision.toUpperCase()}`);
    for (const heading of ['Variants', 'Sample ratio: χ² =', 'Metrics', 'Durations', 'Guardrails', 'Exposure balance', 'Bad lines']) expect(text).toContain(heading);
    for (const { line, reason } of r.input.badLines.examples) expect(text).toContain(`  line ${line}: ${reason}\n`);
    const reasons = reasonMessages(r);
    expect(reasons).toHaveLength(r.checks.length);
    expect(reasons.some((reason) => /^(No sample ratio mismatch|Possible sample ratio mismatch|Sample ratio mismatch): χ² = /.test(reason))).toBe(true);
    expect(text.endsWith(`Decision: ${r.decision.toUpperCase()}\n${reasons.map((reason) => `  - ${reason}\n`).join('')}`)).toBe(true);
  });

  it('prints zero session starts for quiet buckets', async () => {
    const exposure = (user: string, variant: string, hour: number) =>
      JSON.stringify({ event: 'experiment_exposure', userId: user, properties: { experiment: 'skill_tree_layout', variant }, timestamp: `2025-06-02T${String(hour).padStart(2, '0')}:10:00.000Z` });
    const text = formatText(await report([exposure('a', 'tree', 1), exposure('b', 'list', 4)]));
    const quiet = text.split('\n').find((l) => l.includes('2025-06-02 02:00'))!;
    expect(quiet.replace(/\s+/g, ' ').trim()).toBe('2025-06-02 02:00 0 0 — 0/0 0/0 (too few units to judge)');
  });

  it('says the bucket width was chosen from the data, and that no bucket can be judged when none has the units', async () => {
    const exposure = (user: string, variant: string, hour: number) =>
      JSON.stringify({ event: 'experiment_exposure', userId: user, properties: { experiment: 'skill_tree_layout', variant }, timestamp: `2025-06-02T0${hour}:10:00.000Z` });
    const r = await report([exposure('a', 'tree', 1), exposure('b', 'list', 4)]);
    expect([r.balance.intervalFrom, r.balance.judgedBuckets, r.balance.minUnits]).toEqual(['data', 0, 900]);
    const text = formatText(r);
    expect(text).toMatch(/\nExposure balance \(units by first exposure, \w+ buckets chosen from the data; tolerance /);
    expect(text).toContain('\n  no bucket holds 900 units, so none is judged: the balance over time needs more units');
    expect(formatHtml(r)).toMatch(/<p class="muted">\w+ buckets, chosen from the data; a bucket is judged from 900 units, [^<]*\. 0 of 0 judged buckets flagged; grey buckets/);
  });
});

describe('tests that do not apply', () => {
  const exposure = (user: string, variant: string) =>
    JSON.stringify({ event: 'experiment_exposure', userId: user, properties: { experiment: 'skill_tree_layout', variant }, timestamp: '2025-06-02T08:00:00.000Z' });
  const track = (user: string) => JSON.stringify({ event: 'session_started_from_tree', userId: user, properties: {}, timestamp: '2025-06-02T08:01:00.000Z' });

  it('at 100% rollout, say the sample ratio check is not applicable, with null statistics in JSON', async () => {
    const r = await analyzeStream(Readable.from([Buffer.from([exposure('a', 'list'), exposure('b', 'list')].join('\n'))]), { ...options, weights: [0, 100] });
    const text = formatText(r);
    expect(text).toContain('\nSample ratio: not applicable (one variant has all the weight, so there is no split to check)\n');
    expect(text).not.toMatch(/χ² = 0, df = 0|sequential test \(anytime-valid.*p = 1/);
    expect(JSON.parse(formatJson(r)).srm).toMatchObject({ chiSquare: null, df: null, pValue: null, sequential: null, status: 'not-applicable' });
    expect(r.checks[0]).toEqual({ check: 'srm', status: 'not-applicable', outcome: 'proceed', threshold: null });
    expect(r.srm.notApplicable).toBe('single-variant');
    expect(checkMessage(r.checks[0]!, r)).toBe('Sample ratio: not applicable (one variant has all the weight, so there is no split to check)');
    const html = formatHtml(r);
    expect(html).toContain('<p>Sample ratio: not applicable (one variant has all the weight, so there is no split to check)</p>');
    expect(html).toContain('<li class="not-applicable">NOT APPLICABLE: Sample ratio: not applicable (one variant has all the weight, so there is no split to check)</li>');
  });

  it('say a z-test with a pooled standard error of 0 is not applicable, with null in JSON', async () => {
    const lines = [exposure('a', 'tree'), exposure('b', 'list'), track('a'), track('b')];
    const r = await analyzeStream(Readable.from([Buffer.from(lines.join('\n'))]), { ...options, weights: [1, 1], guardrails: [] });
    expect(JSON.parse(formatJson(r)).metrics[0].comparisons[0]).toMatchObject({ z: null, pValue: null, adjustedPValue: null, significant: null });
    const text = formatText(r);
    expect(text).toContain('    p: not applicable for list: every unit converted in both arms, so the z-test does not exist\n');
    const listRow = text.split('\n').find((line) => line.startsWith('    list '))!;
    expect(listRow).not.toMatch(/1\.0000/);
    expect(listRow.trimEnd()).toMatch(/ n\/a +n\/a$/);
    // In HTML the p and adj. p cells, and the always-valid p, say so too.
    const htmlRow = formatHtml(r).split('\n').find((line) => line.startsWith('<tr><td></td><td>list</td>'))!;
    const cells = [...htmlRow.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect([cells[7], cells[8], cells[10]]).toEqual(['not applicable', 'not applicable', 'not applicable']);
  });
});

describe('minus signs', () => {
  it('are U+2212 in text and HTML, for lifts in points, mean differences and t alike, and plain "-" in JSON numbers', async () => {
    const line = (event: string, user: string, properties: Record<string, unknown>) =>
      JSON.stringify({ event, userId: user, properties, timestamp: '2025-06-02T08:00:00.000Z' });
    const lines: string[] = [];
    for (let i = 0; i < 100; i++) {
      for (const [variant, converts, ms] of [['tree', i < 40, 900 + i], ['list', i < 20, 400 + i]] as const) {
        lines.push(line('experiment_exposure', `${variant}${i}`, { experiment: 'skill_tree_layout', variant }));
        if (converts) lines.push(line('session_started_from_tree', `${variant}${i}`, {}));
        lines.push(line('skill_tree_loaded', `${variant}${i}`, { duration_ms: ms }));
      }
    }
    const r = await analyzeStream(Readable.from([Buffer.from(lines.join('\n'))]), { ...options, weights: [1, 1] });
    const comparison = r.metrics[0]!.comparisons[0]!;
    expect([comparison.absoluteLift!.estimate, r.durations[0]!.comparisons[0]!.t!].every((n) => n < 0)).toBe(true);
    // An ASCII minus before a digit, not inside a word, a number or a date: "-8.34", not "2025-06-02" or "e-29".
    const asciiMinus = /(?<![\w.])-\d/;
    const text = formatText(r);
    expect(text).toContain('−20.00 pts');
    expect(text).not.toMatch(asciiMinus);
    const visible = formatHtml(r).replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]*>/g, ' ');
    expect(visible).toContain('−20.00 pts');
    expect(visible).not.toMatch(asciiMinus);
    expect(formatJson(r)).toContain(`"estimate": ${comparison.absoluteLift!.estimate}`);
  });
});

describe('formatHtml', () => {
  it('is one self-contained page: inline SVG charts, no scripts and no external URLs', async () => {
    const html = formatHtml(await report(simulated));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg /g)!.length).toBe(2);
    expect(html).toContain('aria-label="Exposure balance over time"');
    expect(html).toContain('aria-label="Lift with confidence intervals"');
    expect(html).not.toMatch(/https?:|\/\/[a-z]|<script|<link|@import|url\(/i);
  });

  it('labels each check by what it means: HOLD for a check that holds, NOTE for units left out below the threshold', async () => {
    const exposure = (user: string, variant: string) =>
      JSON.stringify({ event: 'experiment_exposure', userId: user, properties: { experiment: 'skill_tree_layout', variant }, timestamp: '2025-06-02T08:00:00.000Z' });
    const lines = [exposure('both', 'tree'), exposure('both', 'list')];
    for (let i = 0; i < 150; i++) lines.push(exposure(`t${i}`, 'tree'), exposure(`l${i}`, 'list'));
    for (let i = 0; i < 5; i++) lines.push(JSON.stringify({ event: 'skill_tree_error', userId: `l${i}`, properties: {}, timestamp: '2025-06-02T08:01:00.000Z' }));
    const r = await analyzeStream(Readable.from([Buffer.from(lines.join('\n'))]), { ...options, weights: [1, 1], metrics: [], guardrails: [preset.guardrails![1]!] });
    expect(r.decision).toBe('hold');
    const html = formatHtml(r);
    expect(html).toContain('<li class="fail">HOLD: Guardrail skill_tree_error rate below 2.0% (rollback above 5.0%): hold');
    expect(html).toContain('<li class="info">NOTE: 1 unit (0.33%) exposed to more than one variant, left out</li>');
    expect(html).not.toMatch(/>(FAIL|PASS):/);
    expect(html).toMatch(/<li class="pass">OK: /);
  });

  it('labels a failed check the policy lets proceed FAILED, not by its outcome, and a warning WARNING', async () => {
    const exposure = (user: string, variant: string) =>
      JSON.stringify({ event: 'experiment_exposure', userId: user, properties: { experiment: 'skill_tree_layout', variant }, timestamp: '2025-06-02T08:00:00.000Z' });
    const lines = ['not json'];
    for (let i = 0; i < 150; i++) lines.push(exposure(`t${i}`, 'tree'), ...(i < 50 ? [exposure(`l${i}`, 'list')] : []));
    const r = await analyzeStream(Readable.from([Buffer.from(lines.join('\n'))]), { ...options, weights: [1, 1], metrics: [], guardrails: [], srm: { onFail: 'proceed' } });
    expect(r.decision).toBe('proceed');
    const html = formatHtml(r);
    expect(html).toMatch(/<li class="fail">FAILED \(the policy proceeds\): [^<]*[Ss]ample ratio/);
    expect(html).toMatch(/<li class="warn">WARNING: 1 bad line skipped/);
  });

  it('greys buckets too few units to judge, in the table and the chart, and plots no share for them', async () => {
    const exposure = (user: string, variant: string, hour: number) =>
      JSON.stringify({ event: 'experiment_exposure', userId: user, properties: { experiment: 'skill_tree_layout', variant }, timestamp: `2025-06-02T0${hour}:10:00.000Z` });
    const lines = [exposure('late', 'list', 9)];
    for (let i = 0; i < 10; i++) lines.push(exposure(`t${i}`, 'tree', 8), exposure(`l${i}`, 'list', 8));
    const r = await analyzeStream(Readable.from([Buffer.from(lines.join('\n'))]), { ...options, weights: [1, 1], balanceMinUnits: 5, intervalMs: 3_600_000 });
    expect(r.balance.buckets.map((b) => b.judged)).toEqual([true, false]);
    const html = formatHtml(r);
    expect(html).toContain('\n<tr><td>2025-06-02 08:00</td>');
    expect(html).toContain('\n<tr class="unjudged"><td>2025-06-02 09:00</td><td>0</td><td>1</td><td>100.0%</td><td>0 / 0</td><td>0 / 0</td><td>too few units</td></tr>');
    const greyed = [...html.matchAll(/<rect [^>]*class="unjudged"><title>([^<]*)</g)].map((m) => m[1]);
    expect(greyed).toEqual(['2025-06-02T09:00:00.000Z: 1 units, too few to judge (5 needed)']);
    expect(html.match(/class="bar[^"]*"/g)).toEqual(['class="bar"', 'class="bar unjudged-bar"']);
    const shares = [...html.matchAll(/<circle [^>]*><title>(2025-[^<]*)</g)].map((m) => m[1]);
    expect(shares).toEqual(['2025-06-02T08:00:00.000Z: list 50.0% of 20 units']);
  });

  it('writes a funnel step\'s reach lift in points, as the text report does, not as a percentage', async () => {
    const line = (event: string, user: string, properties: Record<string, unknown> = {}) =>
      JSON.stringify({ event, userId: user, properties, timestamp: '2025-06-02T08:00:00.000Z' });
    const lines: string[] = [];
    for (let i = 0; i < 40; i++) {
      for (const [variant, reaches] of [['tree', i < 20], ['list', i < 12]] as const) {
        lines.push(line('experiment_exposure', `${variant}${i}`, { experiment: 'skill_tree_layout', variant }), line('skill_tree_loaded', `${variant}${i}`));
        if (reaches) lines.push(line('session_started_from_tree', `${variant}${i}`));
      }
    }
    const r = await analyzeStream(Readable.from([Buffer.from(lines.join('\n'))]), { ...options, weights: [1, 1], guardrails: [], funnels: [['skill_tree_loaded', 'session_started_from_tree']] });
    const lift = r.funnels[0]!.reach[1]!.comparisons[0]!.absoluteLift!;
    const points = `${signedPoints(lift.estimate)} pts [${signedPoints(lift.low)}, ${signedPoints(lift.high)}]`;
    expect(points).toMatch(/^−20\.00 pts \[−/);
    expect(formatText(r)).toContain(`session_started_from_tree ${points}, adj. p `);
    expect(formatHtml(r)).toContain(`<td>${points}, `);
  });

  it('escapes what came from the input', async () => {
    const line = (variant: string) =>
      JSON.stringify({ event: 'experiment_exposure', userId: 'u', properties: { experiment: 'skill_tree_layout', variant }, timestamp: '2025-06-02T08:00:00.000Z' });
    const html = formatHtml(await report([line('tree'), line('<img src=x onerror=alert(1)>')]));
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
