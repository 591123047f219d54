import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { rankByPopularity } from './skill-order.mjs';
import { readJsonLines } from './test-support/json-lines.js';
import { useScratchDir } from './test-support/scratch-dir.js';
import { useExamples } from './test-support/start-example.js';

const BUCKETRY = fileURLToPath(new URL('../../../packages/analyze/bin/bucketry.js', import.meta.url));
const scratch = useScratchDir('skill-order-');

describe('skill_order: the skills list, two rankers interleaved, through the running example', () => {
  const startExample = useExamples();

  it('serves each user a stable merged list, records one exposure per list and the clicks, and the analysis prefers the ranker users click', async () => {
    const log = scratch('order.jsonl');
    const running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '10', EXPOSURE_LOG: log, EXPOSURE_FLUSH_MS: '50' });
    const { url } = running;
    const order = (user: string, query: string) => fetch(`${url}/api/v1/skills/order?query=${encodeURIComponent(query)}`, { headers: { 'x-user-id': user } });
    const click = (user: string, body: unknown) =>
      fetch(`${url}/api/v1/skills/order/clicks`, { method: 'POST', headers: { 'x-user-id': user, 'content-type': 'application/json' }, body: JSON.stringify(body) });

    // These users like what is popular: of the first three skills shown, they open the one ranker B ranks highest.
    const popular = rankByPopularity();
    let shownLists = 0;
    for (let u = 0; u < 40; u++) {
      for (const query of ['home', 'search:loops']) {
        const response = await order(`user-${u}`, query);
        expect(response.status).toBe(200);
        const { skills } = (await response.json()) as { skills: { id: string; name: string }[] };
        expect(skills.map((s) => s.id).sort()).toEqual([...popular].sort());
        shownLists++;
        // A reload shows the same list, and writes no second exposure.
        expect(((await (await order(`user-${u}`, query)).json()) as { skills: unknown }).skills).toEqual(skills);
        const top = skills.slice(0, 3).map((s) => s.id);
        const item = popular.find((id) => top.includes(id))!;
        const recorded = await click(`user-${u}`, { query, item });
        expect(recorded.status).toBe(201);
        expect(await recorded.json()).toEqual({ recorded: 'item_clicked' });
      }
    }

    expect(await (await click('user-1', { query: 'home', item: 'cooking' })).json()).toEqual({
      error: 'item must be the id of a skill (basics, variables, functions, loops, recursion, async), got "cooking"',
    });
    expect((await order('user-1', 'x'.repeat(101))).status).toBe(400);
    expect(await running.stop('SIGTERM')).toBe(0);

    const lines = await readJsonLines(log);
    const exposures = lines.filter((line) => line.event === 'experiment_exposure');
    expect(exposures).toHaveLength(shownLists);
    expect(exposures[0]).toMatchObject({ type: 'track', userId: 'user-0', properties: { experiment: 'skill_order', variant: 'interleaved' } });
    expect(exposures[0]!.properties.interleaving).toMatchObject({ query: 'home', method: 'team-draft', items: expect.any(Array), teams: expect.any(Array) });
    expect(new Set(exposures.map((line) => line.messageId)).size).toBe(shownLists);
    expect(lines.filter((line) => line.event === 'item_clicked')).toHaveLength(shownLists);

    const { stdout } = await promisify(execFile)(process.execPath, [BUCKETRY, 'analyze', log, '--interleaving', '--experiment', 'skill_order', '--format', 'json']);
    const report = JSON.parse(stdout);
    expect(report.impressions).toMatchObject({ total: shownLists, noClicks: 0 });
    expect(report.clicks).toMatchObject({ total: shownLists, onItemsNotShown: 0, withoutExposure: 0, duplicates: 0 });
    expect(report.input.badLines.count).toBe(0);
    expect(report.verdict).toBe('B');
    expect(report.preference.share).toBe(1);
  }, 120_000);
});
