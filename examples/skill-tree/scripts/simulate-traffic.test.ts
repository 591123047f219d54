import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readJsonLines } from '../src/test-support/json-lines.js';
import { useScratchDir } from '../src/test-support/scratch-dir.js';
import { useExamples } from '../src/test-support/start-example.js';
import { compareStages, exposedVariants } from './ramp-check.mjs';

const SCRIPT = fileURLToPath(new URL('./simulate-traffic.mjs', import.meta.url));
const run = promisify(execFile);

/** Runs the script; resolves with its exit code and output whatever the code. */
async function simulate(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [SCRIPT, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const scratch = useScratchDir('simulate-');

type Line = { event: string; userId?: string; anonymousId?: string; properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

const readExport = (path: string) => readJsonLines<Line>(path);
const unitOf = (l: Line) => l.userId ?? l.anonymousId;
/** The table rows of the script's report, keyed by variant. */
const rows = (stdout: string) =>
  Object.fromEntries([...stdout.matchAll(/^ {2}(tree|list) +(\d+) +(\d+) +([\d.-]+) +(\d+) +(\d+)$/gm)].map((m) => [m[1], m.slice(2).join(' ')]));

describe('simulate-traffic.mjs', () => {
  const startExample = useExamples();

  it('leaves an export with one exposure per user, then that user’s page loads, errors and sessions, each with its variant', async () => {
    const out = scratch('export.jsonl');
    const { code, stdout } = await simulate(['--users', '150', '--rollout', '50', '--out', out, '--seed', '7', '--tree-rate', '0.5', '--list-rate', '0.5', '--list-error-rate', '0.2']);
    expect(code).toBe(0);
    expect(stdout).toContain('simulated 150 users');
    expect(stdout).toContain('  variant   users  sessions   rate  page loads  errors\n');

    const lines = await readExport(out);
    const byEvent = (name: string) => lines.filter((l) => l.event === name);
    const exposures = byEvent('experiment_exposure');
    const outcomes = lines.filter((l) => l.event !== 'experiment_exposure');
    expect(exposures).toHaveLength(150);
    expect(new Set(outcomes.map((l) => l.event))).toEqual(new Set(['session_started_from_tree', 'skill_tree_loaded', 'skill_tree_error']));
    const counts = `${lines.length} lines: 150 exposures, ${byEvent('session_started_from_tree').length} sessions, ${byEvent('skill_tree_loaded').length} page loads, ${byEvent('skill_tree_error').length} errors`;
    expect(stdout).toContain(`export: ${out} (${counts})`);

    const variantOf = new Map(exposures.map((e) => [unitOf(e), e.properties.variant]));
    expect(variantOf.size).toBe(150);
    expect(new Set(variantOf.values())).toEqual(new Set(['tree', 'list']));
    // Both kinds of unit: signed-in users and anonymous visitors.
    expect(exposures.some((e) => e.userId?.startsWith('sim-user-7-'))).toBe(true);
    expect(exposures.some((e) => e.anonymousId !== undefined)).toBe(true);
    const exposedAt = new Map(exposures.map((e) => [unitOf(e), lines.indexOf(e)]));
    for (const outcome of outcomes) {
      expect(outcome.properties).toMatchObject({ experiment: 'skill_tree_layout', variant: variantOf.get(unitOf(outcome)) });
      // In time order: a reader streaming the export has seen the unit's exposure already.
      expect(lines.indexOf(outcome)).toBeGreaterThan(exposedAt.get(unitOf(outcome))!);
    }
    for (const load of byEvent('skill_tree_loaded')) expect(Number.isInteger(load.properties.duration_ms) && load.properties.duration_ms > 0).toBe(true);
    for (const error of byEvent('skill_tree_error')) expect(['render_timeout', 'api_500']).toContain(error.properties.code);
    // 20% of list page views fail, tree pages (0.2% by default) almost never.
    const errorShare = (variant: string) => byEvent('skill_tree_error').filter((l) => l.properties.variant === variant).length / outcomes.filter((l) => l.event !== 'session_started_from_tree' && l.properties.variant === variant).length;
    expect(errorShare('list')).toBeGreaterThan(0.08);
    expect(errorShare('tree')).toBeLessThan(0.05);
    // The report's table counts what the export holds: users, sessions, rate, page loads, errors per variant.
    const expectedRow = (variant: string) => {
      const count = (name: string) => byEvent(name).filter((l) => l.properties.variant === variant).length;
      const users = count('experiment_exposure');
      const sessions = count('session_started_from_tree');
      return [users, sessions, (sessions / users).toFixed(3), count('skill_tree_loaded'), count('skill_tree_error')].join(' ');
    };
    expect(rows(stdout)).toEqual({ tree: expectedRow('tree'), list: expectedRow('list') });
  });

  it('gives the same traffic for the same seed when every user is signed in', async () => {
    const args = (name: string) => ['--users', '60', '--rollout', '50', '--seed', '3', '--signed-in', '1', '--out', scratch(name)];
    const first = await simulate(args('seed-a.jsonl'));
    const second = await simulate(args('seed-b.jsonl'));
    expect(first.code).toBe(0);
    expect(rows(first.stdout)).toEqual(rows(second.stdout));
    expect(Object.keys(rows(first.stdout))).toEqual(['tree', 'list']);
    const durations = async (name: string) => (await readExport(scratch(name))).filter((l) => l.event === 'skill_tree_loaded').map((l) => `${l.userId} ${l.properties.duration_ms}`).sort();
    expect(await durations('seed-a.jsonl')).toEqual(await durations('seed-b.jsonl'));
  });

  it('with --cookies, brings the same visitors back: a ramp from 10 to 50 moves nobody from list to tree', async () => {
    const cookies = scratch('cookies.json');
    const at10 = scratch('ramp-10.jsonl');
    const at50 = scratch('ramp-50.jsonl');
    expect((await simulate(['--users', '120', '--rollout', '10', '--seed', '5', '--cookies', cookies, '--out', at10])).code).toBe(0);
    const second = await simulate(['--users', '120', '--rollout', '50', '--seed', '5', '--cookies', cookies, '--out', at50]);
    expect(second.code).toBe(0);
    // Users moved from tree to list got their variant cookie rewritten.
    expect(second.stdout).toMatch(/^ {2}\d+ variant cookies rewritten by the server$/m);
    const before = await exposedVariants(at10);
    const after = await exposedVariants(at50);
    // Anonymous visitors came back with their ids, so every unit is the same one at both stages.
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    expect([...before.keys()].some((unit) => !unit.startsWith('sim-user-'))).toBe(true);
    const { moves } = compareStages(before, after);
    // Units were on list at 10 and stayed there, others moved to list, and none went back.
    expect(moves['list → list']).toBeGreaterThan(0);
    expect(moves['tree → list']).toBeGreaterThan(0);
    expect(moves['list → tree']).toBe(0);
  });

  it('with --url, drives a running server and returns once that server has written every queued exposure', async () => {
    const path = scratch('url.jsonl');
    const running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '50', EXPOSURE_LOG: path });
    const { code, stdout } = await simulate(['--url', running.url, '--users', '40', '--seed', '2']);
    expect(code).toBe(0);
    expect(stdout).toContain(`simulated 40 users against ${running.url}\n`);
    expect(stdout).toContain('export: the EXPOSURE_LOG of the server at --url (every queued exposure written)');
    // Read while the server still runs: nothing is left in its queue. (The page's reports have
    // written it already, each flushing it first; the wait itself is tested in traffic.test.ts.)
    expect((await readExport(path)).filter((l) => l.event === 'experiment_exposure')).toHaveLength(40);
  });

  it.each([
    [['--url', 'http://example.com:3000'], '--url must be http:// on 127.0.0.1, localhost or [::1]'],
    [['--url', 'https://127.0.0.1:3000'], '--url must be http://'],
    [['--url', 'http://127.0.0.1:3000', '--rollout', '10'], '--rollout and --out apply only to the server this script starts'],
    [['--users', '100001'], '--users must be a whole number from 1 to 100000'],
    [['--concurrency', '64'], '--concurrency must be a whole number from 1 to 32'],
    [['--rollout', 'ten'], '--rollout must be a percent from 0 to 100'],
    [['--list-rate', '1.5'], '--list-rate must be a number from 0 to 1'],
  ])('refuses %j', async (args, message) => {
    const { code, stderr } = await simulate(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
