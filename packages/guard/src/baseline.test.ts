import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBaselineCommand } from './baseline-command.js';
import { BaselineFileError, readBaselineFile } from './baseline-file.js';

// `bucketry baseline` on a Segment export written here: which events count (the window, not the
// exposures), what each guardrail's metric is, what is written, and what is refused.
const PLAN = {
  experiment: 'skill_tree_layout',
  variants: ['tree', 'list'],
  events: ['skill_tree_error', 'skill_tree_loaded', 'session_started_from_tree'],
  guardrails: ['rate:skill_tree_error:2%:5%', 'p95:skill_tree_loaded:5s:10s'],
  stages: [
    { name: 'canary', percent: 5, minDuration: '5m' },
    { name: 'beta', percent: 50, minDuration: '5m', guardrails: [{ type: 'non-inferiority', metric: 'session_started_from_tree', margin: 0.05 }] },
  ],
  interval: '1m',
};

const DAY = '2026-12-01';
const at = (hour: number) => `${DAY}T${String(hour).padStart(2, '0')}:00:00.000Z`;
const track = (event: string, user: string, timestamp: string, properties: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'track', event, userId: user, timestamp, properties: { experiment: 'skill_tree_layout', variant: 'tree', ...properties } });

let dir: string;
const out: string[] = [];
const err: string[] = [];
const io = () => ({ stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, cwd: dir, now: () => new Date('2026-12-02T00:00:00.000Z') });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guard-baseline-'));
  out.length = 0;
  err.length = 0;
  await writeFile(join(dir, 'plan.json'), JSON.stringify(PLAN));
  const lines: string[] = [];
  // 40 users in the window (hours 1-20): each loads the page once, 100 ms × their number;
  // users 1-3 also report an error, users 1-10 start a session. No exposures at all (0%).
  for (let u = 1; u <= 40; u++) {
    lines.push(track('skill_tree_loaded', `user-${u}`, at(1 + (u % 20)), { duration_ms: u * 100 }));
    if (u <= 3) lines.push(track('skill_tree_error', `user-${u}`, at(2), { code: 'render' }), track('skill_tree_error', `user-${u}`, at(3), { code: 'render' }));
    if (u <= 10) lines.push(track('session_started_from_tree', `user-${u}`, at(4)));
  }
  // Outside the window: the day before and the next day, an error and a slow load each.
  lines.push(track('skill_tree_error', 'user-99', '2026-11-30T12:00:00.000Z'), track('skill_tree_loaded', 'user-99', '2026-12-02T01:00:00.000Z', { duration_ms: 60_000 }));
  lines.push('{not json', JSON.stringify({ event: 'skill_tree_loaded' }));
  await writeFile(join(dir, 'events.jsonl'), `${lines.join('\n')}\n`);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bucketry baseline', () => {
  it("records each guardrail's metric over the window, beside the plan", async () => {
    const code = await runBaselineCommand(['--plan', 'plan.json', '--events', 'events.jsonl', '--from', DAY, '--to', '2026-12-02'], io());
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    const baseline = readBaselineFile(join(dir, 'plan.baseline.json'), 'skill_tree_layout');
    expect(baseline).toMatchObject({ from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z', units: 40, events: 40 + 6 + 10, lines: 40 + 6 + 10 + 4, badLines: 2 });
    const [errors, p95, sessions] = baseline.metrics;
    // 3 of the 40 users had an error (twice each: units, not events).
    expect(errors).toMatchObject({ type: 'rate', subject: 'skill_tree_error', samples: 40, hits: 3, value: 3 / 40 });
    // Durations 100..4000 ms: p95 by linear interpolation at (40 − 1) × 0.95 = 37.05 → 3800 + 0.05 × 100.
    expect(p95).toMatchObject({ type: 'percentile', samples: 40, hits: 0, shareAboveHold: 0, shareAboveRollback: 0 });
    expect(p95!.value).toBeCloseTo(3805, 9);
    // The last stage's guardrail is in the baseline too.
    expect(sessions).toMatchObject({ type: 'non-inferiority', samples: 40, hits: 10, value: 0.25 });
    expect(out.join('')).toBe(
      [
        'baseline of skill_tree_layout from 2026-12-01T00:00:00.000Z to 2026-12-02T00:00:00.000Z (events.jsonl)',
        '  40 units, 56 events in the window; 60 lines read, 2 not events',
        '  skill_tree_error rate below 2.0% (rollback above 5.0%)      7.50% of units (3/40)',
        '  p95 skill_tree_loaded below 5s (rollback above 10s)         3.8 s over 40 durations (0.00% above the rollback limit)',
        '  session_started_from_tree not more than 5.0% below control  25.00% of units (10/40)',
        'written to plan.baseline.json',
        '',
      ].join('\n'),
    );
  });

  it('defaults to the 7 days before now', async () => {
    expect(await runBaselineCommand(['--plan', 'plan.json', '--events', 'events.jsonl', '--out', 'b.json'], io())).toBe(0);
    // The slow load of 2026-12-02T01:00 is after "now" (2026-12-02T00:00): left out; the error of 11-30 is in.
    expect(readBaselineFile(join(dir, 'b.json'))).toMatchObject({ from: '2026-11-25T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z', units: 41, metrics: [{ hits: 4 }, { shareAboveRollback: 0 }, { hits: 10 }] });
  });

  it.each([
    [['--events', 'events.jsonl'], '--plan <file> is required'],
    [['--plan', 'plan.json'], '--events <source> is required'],
    [['--plan', 'plan.json', '--events', 'events.jsonl', '--from', 'yesterday'], '--from is "yesterday", must be an ISO 8601 time'],
    [['--plan', 'plan.json', '--events', 'events.jsonl', '--from', '2026-12-02', '--to', DAY], 'must be before --to'],
    [['--plan', 'plan.json', '--events', 'missing.jsonl'], '--events missing.jsonl: events file'],
    [['--plan', 'nope.json', '--events', 'events.jsonl'], '--plan '],
    [['--plan', 'plan.json', '--events', 'events.jsonl', '--from', '2025-01-01', '--to', '2025-01-08'], 'no events of the source between 2025-01-01T00:00:00.000Z and 2025-01-08T00:00:00.000Z (60 lines read, 2 not events): nothing recorded'],
  ])('refuses %j, writing nothing', async (args, message) => {
    expect(await runBaselineCommand(args, io())).toBe(2);
    expect(err.join('')).toContain(message);
    await expect(readFile(join(dir, 'plan.baseline.json'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses a plan that breaks a rule, naming the field', async () => {
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ ...PLAN, stages: [{ percent: 25, minDuration: '5m' }, { percent: 5, minDuration: '5m' }] }));
    expect(await runBaselineCommand(['--plan', 'bad.json', '--events', 'events.jsonl'], io())).toBe(2);
    expect(err.join('')).toMatch(/--plan .*bad\.json: stages\[1\]\.percent/);
  });

  it('reads back only a baseline file, naming the field that is wrong', async () => {
    const path = join(dir, 'broken.baseline.json');
    await writeFile(path, JSON.stringify({ format: 1, experiment: 'skill_tree_layout', from: DAY, to: DAY, recordedAt: DAY, units: 1, events: 1, lines: 1, badLines: 0, metrics: [{ label: 'x', value: 'high', samples: 1, hits: 0 }] }));
    expect(() => readBaselineFile(path)).toThrow(BaselineFileError);
    expect(() => readBaselineFile(path)).toThrow('metrics[0].value is "high", must be a number or null');
    await writeFile(path, JSON.stringify({ format: 1, experiment: 'other' }));
    expect(() => readBaselineFile(path, 'skill_tree_layout')).toThrow(`experiment is "other", must be the plan's experiment "skill_tree_layout"`);
  });
});
