import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'simulate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('simulate-traffic.mjs', () => {
  it('leaves an export with one exposure per user and sessions that carry the user’s variant', async () => {
    const out = join(dir, 'export.jsonl');
    const { code, stdout } = await simulate(['--users', '150', '--rollout', '50', '--out', out, '--seed', '7', '--tree-rate', '0.5', '--list-rate', '0.5']);
    expect(code).toBe(0);
    expect(stdout).toContain('simulated 150 users');
    expect(stdout).toContain(`export: ${out}`);

    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line));
    const exposures = lines.filter((l) => l.event === 'experiment_exposure');
    const sessions = lines.filter((l) => l.event === 'session_started_from_tree');
    expect(exposures).toHaveLength(150);
    expect(exposures.length + sessions.length).toBe(lines.length);
    const unitOf = (l: { userId?: string; anonymousId?: string }) => l.userId ?? l.anonymousId;
    const variantOf = new Map(exposures.map((e) => [unitOf(e), e.properties.variant]));
    expect(variantOf.size).toBe(150);
    expect(new Set(variantOf.values())).toEqual(new Set(['tree', 'list']));
    // Both kinds of unit: signed-in users and anonymous visitors.
    expect(exposures.some((e) => e.userId?.startsWith('sim-user-7-'))).toBe(true);
    expect(exposures.some((e) => e.anonymousId !== undefined)).toBe(true);
    expect(sessions.length).toBeGreaterThan(0);
    for (const session of sessions) {
      expect(session.properties).toEqual({ experiment: 'skill_tree_layout', variant: variantOf.get(unitOf(session)) });
    }
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
