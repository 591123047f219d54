import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readJsonLines } from '../src/test-support/json-lines.js';
import { useScratchDir } from '../src/test-support/scratch-dir.js';
import { useExamples } from '../src/test-support/start-example.js';

const SCRIPT = fileURLToPath(new URL('./order-traffic.mjs', import.meta.url));
const scratch = useScratchDir('order-traffic-');

/** Runs the script; resolves with its exit code and output whatever the code. */
async function orderTraffic(args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [SCRIPT, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('order-traffic.mjs', () => {
  const startExample = useExamples();

  it('shows lists and posts the clicks the users choose, then waits until every exposure is in the log', async () => {
    const log = scratch('order.jsonl');
    const running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '10', EXPOSURE_LOG: log });

    // No click follows these lists (a click's write would carry the exposures before it): only the wait does.
    const quiet = await orderTraffic(['--url', running.url, '--users', '5', '--click-rate', '0']);
    expect(quiet.code).toBe(0);
    const [, shown] = /^skill_order: 5 users, (\d+) lists shown, 0 clicks$/m.exec(quiet.stdout)!;
    expect(Number(shown)).toBeGreaterThanOrEqual(5); // one or two each: an empty log would not pass for written
    expect((await readJsonLines(log)).filter((line) => line.event === 'experiment_exposure')).toHaveLength(Number(shown));

    // Users who always click, always the popular ranker's favourite: async, which team-draft puts in the first two.
    const { code, stdout } = await orderTraffic(['--url', running.url, '--users', '30', '--popular', '1', '--click-rate', '1', '--seed', '3']);
    expect(code).toBe(0);
    const [, lists, clicks] = /^skill_order: 30 users, (\d+) lists shown, (\d+) clicks$/m.exec(stdout)!;
    expect(Number(clicks)).toBe(Number(lists));
    const lines = await readJsonLines(log);
    const clicked = lines.filter((line) => line.event === 'item_clicked');
    expect(clicked).toHaveLength(Number(clicks));
    expect(new Set(clicked.map((line) => line.properties.item))).toEqual(new Set(['async']));
    // Each click has its list's exposure (users 0-4 saw theirs in the first run: one exposure per list).
    const exposed = new Set(lines.filter((line) => line.event === 'experiment_exposure').map((line) => `${line.userId} ${line.properties.interleaving.query}`));
    expect(clicked.filter((line) => !exposed.has(`${line.userId} ${line.properties.query}`))).toEqual([]);
  });

  it('refuses a URL off this machine and rates outside 0 to 1, naming the flag', async () => {
    expect(await orderTraffic(['--url', 'http://example.com'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--url must be http:// on 127.0.0.1, localhost or [::1]') });
    expect(await orderTraffic(['--url', 'http://127.0.0.1:1', '--popular', '1.5'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--popular must be a number from 0 to 1, got "1.5"') });
    expect(await orderTraffic(['--url', 'http://127.0.0.1:1', '--users', '0'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--users must be a whole number from 1 to 100000') });
  });
});
