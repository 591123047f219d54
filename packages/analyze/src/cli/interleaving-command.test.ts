import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';
import { cliSandbox } from './cli-sandbox.test-helper.js';

useSlowTestTimeouts();
const { dir, run, write } = cliSandbox();

describe('bucketry simulate --interleaving | bucketry analyze --interleaving', () => {
  it('recovers the preference in every format; exit 0 when a ranker is preferred, 1 when neither is', async () => {
    expect(await run(['simulate', '--interleaving', '--impressions', '20000', '--preference', '58%', '--seed', '9', '--out', 'order.jsonl.gz'])).toMatchObject({ code: 0, stderr: '' });
    const text = await run(['analyze', 'order.jsonl.gz', '--interleaving', '--experiment', 'skill_order']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^bucketry analyze --interleaving: skill_order\nPreferred: B \(sign test over units, p = /);
    expect(text.stdout).toMatch(/mean of units' shares of decided impressions won by B +5\d\.\d% +\[5\d\.\d%, 5\d\.\d%\]/);
    expect(text.stdout).toMatch(/\n  shown +20,000\n/);

    const json = await run(['analyze', 'order.jsonl.gz', '--interleaving', '--experiment', 'skill_order', '--format', 'json', '--confidence', '0.99']);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ analysis: 'interleaving', experiment: 'skill_order', clickEvent: 'item_clicked', confidence: 0.99, verdict: 'B' });
    expect(report.preference.interval.low).toBeLessThan(0.58);
    expect(report.preference.interval.high).toBeGreaterThan(0.58);

    const html = await run(['analyze', 'order.jsonl.gz', '--interleaving', '--experiment', 'skill_order', '--format', 'html', '--out', 'reports/order.html']);
    expect(html).toMatchObject({ code: 0, stdout: '', stderr: 'Preferred: B (html report written to reports/order.html)\n' });
    const page = readFileSync(join(dir, 'reports/order.html'), 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<h2>Preference for ranker B</h2>');

    await run(['simulate', '--interleaving', '--impressions', '3000', '--preference', '0.5', '--seed', '9', '--out', 'aa.jsonl']);
    const aa = await run(['analyze', 'aa.jsonl', '--interleaving', '--experiment', 'skill_order']);
    expect(aa.code).toBe(1);
    expect(aa.stdout).toContain('Preferred: NEITHER (the sign test over units is not significant at 95%');
  });

  it('reads stdin, lists bad lines by line number in the text report and on stderr for JSON', async () => {
    const exposure = JSON.stringify({ type: 'track', event: 'experiment_exposure', userId: 'u1', timestamp: '2025-06-02T08:00:00Z', properties: { experiment: 'skill_order', interleaving: { query: 'home', method: 'team-draft', items: ['a', 'b'], teams: ['A', 'B'] } } });
    const click = JSON.stringify({ type: 'track', event: 'item_clicked', userId: 'u1', timestamp: '2025-06-02T08:01:00Z', properties: { experiment: 'skill_order', query: 'home', item: 'b' } });
    const input = [exposure, 'not json', click].join('\n');
    const text = await run(['analyze', '-', '--interleaving', '--experiment', 'skill_order'], input);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('Bad lines (1, skipped)\n  line 2: not JSON (');
    const json = await run(['analyze', '-', '--interleaving', '--experiment', 'skill_order', '--format', 'json'], input);
    expect(json.stderr).toMatch(/^line 2: not JSON \(/);
    expect(JSON.parse(json.stdout).impressions.wonByB).toBe(1);
  });

  it('refuses flags that do not apply, and a missing experiment or preference, naming the flag', async () => {
    write('empty.jsonl', ['']);
    expect(await run(['analyze', 'empty.jsonl', '--interleaving'])).toMatchObject({ code: 2, stderr: expect.stringContaining('missing --experiment: name the interleaving experiment') });
    expect(await run(['analyze', 'empty.jsonl', '--interleaving', '--experiment', 'x', '--expected-variant', 'a'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--expected-variant does not apply with --interleaving'),
    });
    expect(await run(['simulate', '--interleaving', '--impressions', '10'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--preference') });
    expect(await run(['simulate', '--interleaving', '--impressions', '10', '--preference', '1.5'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--preference') });
    expect(await run(['simulate', '--interleaving', '--impressions', '10', '--preference', '0.5', '--users', '5'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--users does not apply with --interleaving') });
    expect(await run(['simulate', '--users', '5', '--rollout', '10', '--preference', '0.5'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--preference applies only with --interleaving') });
  });
});
