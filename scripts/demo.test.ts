import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isRunning } from '../test-support/process-running.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEMO = join(ROOT, 'scripts/demo.mjs');

interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node scripts/demo.mjs` with its own TMPDIR, so whatever it leaves behind is visible.
 * `interruptWhen` sends SIGINT once stdout matches it.
 */
function runDemo(tmp: string, interruptWhen?: RegExp): Promise<DemoRun> {
  // Built already (`pnpm test` builds first); the quiet build has its own test (demo-build.test.ts).
  const child = spawn(process.execPath, [DEMO, '--no-build'], { cwd: ROOT, env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (interruptWhen?.test(stdout) && child.exitCode === null) {
      interruptWhen = undefined;
      child.kill('SIGINT');
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/** The pids of the API processes the demo says it started. */
const serverPids = (stdout: string) => [...stdout.matchAll(/\(pid (\d+)\)/g)].map((match) => Number(match[1]));

let tmp: string;
beforeAll(() => {
  if (!existsSync(join(ROOT, 'packages/analyze/dist/cli.js')) || !existsSync(join(ROOT, 'packages/express/dist/index.js'))) {
    throw new Error('the demo needs the packages built: run `pnpm build` first (`pnpm test` and `pnpm demo` do)');
  }
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('pnpm demo (node scripts/demo.mjs)', () => {
  it('runs the runbook at 10, 50 and 0, reports it, exits 0 and leaves no process or file behind', async () => {
    tmp = await mkdtemp(join(tmpdir(), 'demo-test-'));
    const { code, stdout, stderr } = await runDemo(tmp);
    expect(code, `${stdout}\n${stderr}`).toBe(0);

    expect(stdout).toContain('1. Smoke test: SKILL_TREE_LIST_ROLLOUT=10');
    expect(stdout).toContain('rollout status {"enabled":true,"percentage":10}');
    expect(stdout).toContain('bucketry analyze --policy smoke-10 says:');
    expect(stdout).toMatch(/Split: tree [\d,]+ \(\d+\.\d%\), list [\d,]+ \(\d+\.\d%\), as the 90\/10 rollout should give \(sample ratio check p = [\d.]+\)\./);
    expect(stdout).toMatch(/Over time: the split held steady in (the one|all \d+) \d+-(minute|hour) stretch(es)? with enough users to judge\./);
    expect(stdout).toMatch(/Session starts: tree [\d.]+%, list [\d.]+%; list vs tree [+−][\d.]+% \(95% interval [+−][\d.]+% to [+−][\d.]+%\)\./);
    // No jargon, no field left unworded.
    expect(stdout).not.toMatch(/judged|buckets|undefined|NaN|NOT MEASURED/);
    // Every guardrail is measured: the example emits the error and load-time events now.
    expect(stdout.match(/Guardrails: 3 of 3 pass\./g)).toHaveLength(2);
    expect(stdout).toMatch(/pass: session starts on list not more than 5% below tree, at worst [+−][\d.]+%\n/);
    expect(stdout).toMatch(/pass: render errors on list under 2% of users, [\d.]+%\n/);
    expect(stdout).toMatch(/pass: p95 load time on list under 5 s, [\d.]+ s\n/);
    expect(stdout.match(/Decision: PROCEED\./g)).toHaveLength(2);
    // Progress while users are simulated (not a terminal here: a line at each quarter).
    expect(stdout).toMatch(/ {3}1,500 of 6,000 simulated users so far \(\d+ s\)\n/);
    expect(stdout.match(/ {3}6,000 of 6,000 simulated users so far/g)).toHaveLength(2);
    expect(stdout).toMatch(/ {3}2,000 of 2,000 simulated users so far/);

    expect(stdout).toContain('2. Ramp: SKILL_TREE_LIST_ROLLOUT=50');
    expect(stdout).toContain('rollout status {"enabled":true,"percentage":50}');
    expect(stdout).toMatch(/Ramp check: all 6,000 users came back; [\d,]+ moved from tree to list as the rollout grew, none from list back to tree\./);

    expect(stdout).toContain('3. Kill switch: SKILL_TREE_LIST_ROLLOUT=0');
    expect(stdout).toContain('rollout status {"enabled":false,"percentage":0}');
    expect(stdout).toMatch(/2,000 users \(70% signed in\) in \d+ s: tree 2,000, list 0\n/);
    expect(stdout).toMatch(/[\d,]+ list cookies rewritten to tree; 0 exposures/);

    expect(stdout).toMatch(/Report \(\d+ s\)\n {2}10% smoke test {5}PROCEED\n {2}50% ramp {11}PROCEED; 0 users moved from list back to tree\n {2}kill switch at 0 {3}everyone on tree\n/);
    expect(stdout).toContain('OK: the runbook held at every stage.');

    const pids = serverPids(stdout);
    expect(pids).toHaveLength(3);
    for (const pid of pids) expect(isRunning(pid), `API process ${pid}`).toBe(false);
    expect(await readdir(tmp)).toEqual([]);
  }, 120_000);

  it('stops its API and removes its work directory when interrupted', async () => {
    tmp = await mkdtemp(join(tmpdir(), 'demo-test-'));
    const { code, stdout, stderr } = await runDemo(tmp, /API http:\/\/127\.0\.0\.1:\d+ \(pid \d+\)/);
    expect(code, `${stdout}\n${stderr}`).toBe(130);
    expect(stderr).toContain('demo: SIGINT: stopping');
    const pids = serverPids(stdout);
    expect(pids).toHaveLength(1);
    expect(isRunning(pids[0]!)).toBe(false);
    expect(await readdir(tmp)).toEqual([]);
  }, 60_000);
});
