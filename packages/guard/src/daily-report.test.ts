import { createFileStore } from '@bucketry/live';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBaselineCommand } from './baseline-command.js';
import { runReportCommand } from './daily-report-command.js';

// `bucketry report daily` on a Segment export written here: one day with a regression in `list`
// (15% of its units see an error, control 1%), the days around it, a bad line and an error of a
// unit never exposed; a baseline recorded from the week before; a file store with the day's rollback.
const PLAN = {
  experiment: 'skill_tree_layout',
  variants: ['tree', 'list'],
  events: ['skill_tree_error', 'skill_tree_loaded'],
  guardrails: ['rate:skill_tree_error:2%:5%', 'p95:skill_tree_loaded:5s:10s'],
  stages: [{ name: 'canary', percent: 5, minDuration: '5m' }],
  interval: '1m',
};

const track = (event: string, user: string, timestamp: string, properties: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'track', event, userId: user, timestamp, properties: { experiment: 'skill_tree_layout', ...properties } });

/** A day of traffic: each user exposed twice, one page load, and errors for the first `errors[variant]` users. */
function day(date: string, users: { tree: number; list: number }, errors: { tree: number; list: number }, loadMs: { tree: number; list: number }): string[] {
  const lines: string[] = [];
  for (const variant of ['tree', 'list'] as const) {
    for (let u = 1; u <= users[variant]; u++) {
      const user = `${date}-${variant}-${u}`;
      lines.push(track('experiment_exposure', user, `${date}T09:00:00.000Z`, { variant }), track('experiment_exposure', user, `${date}T09:05:00.000Z`, { variant }));
      lines.push(track('skill_tree_loaded', user, `${date}T09:01:00.000Z`, { variant, duration_ms: loadMs[variant] }));
      if (u <= errors[variant]) lines.push(track('skill_tree_error', user, `${date}T09:02:00.000Z`, { variant, code: 'render' }));
    }
  }
  return lines;
}

let dir: string;
const out: string[] = [];
const err: string[] = [];
const io = () => ({ stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, cwd: dir, now: () => new Date('2026-12-08T00:00:00.000Z') });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guard-daily-'));
  out.length = 0;
  err.length = 0;
  await writeFile(join(dir, 'plan.json'), JSON.stringify(PLAN));
  // The week before: no exposures (0%), 1,000 users loading the page, 11 with an error.
  const before = Array.from({ length: 1000 }, (_, u) => track('skill_tree_loaded', `old-${u}`, '2026-12-03T10:00:00.000Z', { variant: 'tree', duration_ms: 1500 }));
  for (let u = 0; u < 11; u++) before.push(track('skill_tree_error', `old-${u}`, '2026-12-03T10:01:00.000Z', { variant: 'tree' }));
  const lines = [
    ...before,
    ...day('2026-12-07', { tree: 100, list: 100 }, { tree: 0, list: 0 }, { tree: 1000, list: 1000 }),
    ...day('2026-12-08', { tree: 400, list: 200 }, { tree: 4, list: 30 }, { tree: 1000, list: 1200 }),
    track('skill_tree_error', 'never-exposed', '2026-12-08T12:00:00.000Z', { variant: 'tree' }),
    '{"truncated',
    ...day('2026-12-09', { tree: 100, list: 100 }, { tree: 50, list: 50 }, { tree: 1000, list: 1000 }),
  ];
  await writeFile(join(dir, 'events.jsonl'), `${lines.join('\n')}\n`);
  expect(await runBaselineCommand(['--plan', 'plan.json', '--events', 'events.jsonl', '--from', '2026-12-01', '--to', '2026-12-07'], io())).toBe(0);
  out.length = 0;
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bucketry report daily', () => {
  it("writes the day's metrics beside the baseline, the issues and the recommendation as Markdown", async () => {
    expect(await runReportCommand(['daily', '--plan', 'plan.json', '--events', 'events.jsonl', '--date', '2026-12-08'], io())).toBe(0);
    expect(err.join('')).toBe('');
    const markdown = out.join('');
    expect(markdown).toContain('# Daily rollout report: skill_tree_layout, 2026-12-08\n\n**Recommendation: ROLLBACK**\n');
    expect(markdown).toContain('- Requests: 1,200 (tree 800, list 400); units exposed: tree 400, list 200\n');
    expect(markdown).toContain('- skill_tree_error rate: list 15.00% (baseline 1.10%); control tree 1.00%\n');
    expect(markdown).toContain('- p95 skill_tree_loaded: list 1.2 s (baseline 1.5 s); control tree 1 s\n');
    expect(markdown).toContain('| skill_tree_error rate | 1.00% (4/400 units) | 15.00% (30/200 units) | 1.10% | proceed below 2.0%, roll back above 5.0% | ROLLBACK |');
    expect(markdown).toContain('| p95 skill_tree_loaded | 1 s (400 durations) | 1.2 s (200 durations) | 1.5 s | proceed below 5 s, roll back above 10 s |');
    expect(markdown).toContain('Baseline: 2026-12-01T00:00:00.000Z to 2026-12-07T00:00:00.000Z.');
    expect(markdown).toMatch(/\n- ROLLBACK skill_tree_error rate below 2\.0% \(rollback above 5\.0%\): list: skill_tree_error rate 15\.0% \(30\/200 units/);
    expect(markdown).toContain('\n- 1 lines of the source were not events (not counted)\n');
    expect(markdown).toContain('\n- 1 tracked events of units not exposed before them that day (not counted)\n');
    expect(markdown).toMatch(/## Recommendation\n\nROLLBACK: skill_tree_error rate below 2\.0% \(rollback above 5\.0%\)\. Set the rollout to 0 \(bucketry rollout set skill_tree_layout 0\)/);

  });

  it('writes it as one self-contained HTML page, with what the store holds and its changes that day', async () => {
    const store = createFileStore({ path: join(dir, 'rollouts.json') });
    const change = { enabled: true, expectedVersion: undefined, force: true };
    // At 0% before anything starts (a first record, not a rollback), then the canary, then the monitor's rollback.
    await store.write('skill_tree_layout', { ...change, rollout: 0, actor: 'ana', phase: null, reason: 'baseline week', at: '2026-12-08T00:00:00.000Z' });
    await store.write('skill_tree_layout', { ...change, rollout: 5, actor: 'ana', phase: 'canary', reason: 'canary', at: '2026-12-08T08:00:00.000Z' });
    await store.write('skill_tree_layout', { ...change, rollout: 0, actor: 'bucketry-monitor', phase: 'rollback', reason: 'skill_tree_error <up>', at: '2026-12-08T09:30:00.000Z' });
    // The next day's change is not the 8th's.
    await store.write('skill_tree_layout', { ...change, rollout: 5, actor: 'ana', phase: 'canary', reason: 'the fix', at: '2026-12-09T08:00:00.000Z' });
    await store.close();
    expect(await runReportCommand(['daily', '--plan', 'plan.json', '--events', 'events.jsonl', '--date', '2026-12-08', '--store', 'file:rollouts.json', '--format', 'html', '--out', 'day.html'], io())).toBe(0);
    expect(out.join('')).toBe('skill_tree_layout 2026-12-08: ROLLBACK; report written to day.html\n');
    const html = await readFile(join(dir, 'day.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src=|https?:/);
    expect(html).toContain('data-field="recommendation">Recommendation: ROLLBACK</p><p>Store: 5%, version 4, phase canary, set by ana at 2026-12-09T08:00:00.000Z</p>');
    expect(html.match(/<li>rolled back at/g)).toHaveLength(1);
    expect(html).toContain('<li>skill_tree_error rate: list 15.00% (baseline 1.10%); control tree 1.00%</li>');
    expect(html).toContain('<li>rolled back at 2026-12-08T09:30:00.000Z by bucketry-monitor: skill_tree_error &lt;up&gt;</li>');
    expect(html).toContain('<h2>Rollout changes that day</h2><ul><li>2026-12-08T00:00:00.000Z v1 ana: - → 0%: baseline week</li><li>2026-12-08T08:00:00.000Z v2 ana: 0% → 5%, phase canary: canary</li><li>2026-12-08T09:30:00.000Z v3 bucketry-monitor: 5% → 0%, phase rollback: skill_tree_error &lt;up&gt;</li></ul>');
    // The Markdown says the same.
    out.length = 0;
    expect(await runReportCommand(['daily', '--plan', 'plan.json', '--events', 'events.jsonl', '--date', '2026-12-08', '--store', 'file:rollouts.json'], io())).toBe(0);
    const markdown = out.join('');
    expect(markdown).toContain('**Recommendation: ROLLBACK**\n\nStore: 5%, version 4, phase canary, set by ana at 2026-12-09T08:00:00.000Z\n');
    expect(markdown).toContain(
      '## Rollout changes that day\n\n- 2026-12-08T00:00:00.000Z v1 ana: - → 0%: baseline week\n- 2026-12-08T08:00:00.000Z v2 ana: 0% → 5%, phase canary: canary\n- 2026-12-08T09:30:00.000Z v3 bucketry-monitor: 5% → 0%, phase rollback: skill_tree_error <up>\n',
    );
  });

  it('holds on a day without exposures: nothing to judge', async () => {
    expect(await runReportCommand(['daily', '--plan', 'plan.json', '--events', 'events.jsonl', '--date', '2026-12-10'], io())).toBe(0);
    expect(out.join('')).toContain('**Recommendation: HOLD**');
    expect(out.join('')).toContain('\n- no experiment_exposure of skill_tree_layout on 2026-12-10: nothing to judge\n');
  });

  it('counts only the day: the same numbers whatever comes before and after it', async () => {
    await runReportCommand(['daily', '--plan', 'plan.json', '--events', 'events.jsonl', '--date', '2026-12-07'], io());
    const markdown = out.join('');
    expect(markdown).toContain('- Requests: 400 (tree 200, list 200); units exposed: tree 100, list 100\n');
    expect(markdown).toContain('| skill_tree_error rate | 0.00% (0/100 units) | 0.00% (0/100 units) | 1.10% |');
  });

  it('says when the store cannot be read, and still reports', async () => {
    expect(await runReportCommand(['daily', '--plan', 'plan.json', '--events', 'events.jsonl', '--date', '2026-12-08', '--store', 'redis://127.0.0.1:1/?prefix=x:'], io())).toBe(0);
    expect(out.join('')).toMatch(/\n- the rollout store could not be read: .+\n/);
  });

  it.each([
    [['weekly'], 'bucketry report takes a kind of report: daily, got "weekly"'],
    [['daily', '--plan', 'plan.json', '--events', 'events.jsonl'], '--date is required'],
    [['daily', '--plan', 'plan.json', '--events', 'events.jsonl', '--date', '2026-02-30'], '--date is "2026-02-30", must be a day written YYYY-MM-DD (UTC)'],
    [['daily', '--plan', 'plan.json', '--events', 'events.jsonl', '--date', '2026-12-08', '--format', 'pdf'], '--format is "pdf", must be markdown or html'],
    [['daily', '--plan', 'plan.json', '--events', 'events.jsonl', '--date', '2026-12-08', '--baseline', 'none.json'], '--baseline: ENOENT'],
    [['daily', '--plan', 'plan.json', '--events', 'gone.jsonl', '--date', '2026-12-08'], '--events gone.jsonl: events file'],
  ])('refuses %j', async (args, message) => {
    expect(await runReportCommand(args, io())).toBe(2);
    expect(err.join('')).toContain(message);
    expect(out.join('')).toBe('');
  });
});
