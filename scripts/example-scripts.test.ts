import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isRunning } from '../test-support/process-running.js';

// `pnpm start` and `pnpm dev` in the examples, stopped the way a terminal, a process manager or a
// container runtime does: one signal to pnpm's own process. pnpm passes it to the script's
// process, which must be the server itself (`exec` in the script): a `sh -c` in between took the
// signal and left vite, next-server or the API running.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'example-scripts-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
/** What each test started, killed after it whatever happened (a test that timed out included). */
const spawned = new Set<number>();
afterEach(() => {
  for (const pid of spawned) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  spawned.clear();
});

/** Every process below `pid`, deepest last. */
function descendants(pid: number): number[] {
  let children: number[];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}
const waitUntil = async (condition: () => boolean, timeoutMs: number) => {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline && !condition(); ) await new Promise((resolve) => setTimeout(resolve, 100));
  return condition();
};

const CASES = [
  { example: 'skill-tree', script: 'start', ready: /skill-tree listening on/, signal: 'SIGTERM' },
  { example: 'skill-tree', script: 'start', ready: /skill-tree listening on/, signal: 'SIGINT' },
  { example: 'skill-tree-web', script: 'dev', ready: /Local:\s+http/, signal: 'SIGTERM' },
  { example: 'skill-tree-web', script: 'dev', ready: /Local:\s+http/, signal: 'SIGINT' },
  { example: 'next-app', script: 'dev', ready: /Ready in/, signal: 'SIGTERM' },
] as const;

describe('the examples’ pnpm scripts pass a signal through', () => {
  it.each(CASES)('$example: pnpm $script, $signal to pnpm → nothing it started is left running', async ({ example, script, ready, signal }) => {
    const env = {
      ...process.env,
      PORT: '0',
      NEXT_TELEMETRY_DISABLED: '1',
      SKILL_TREE_LIST_ROLLOUT: '10',
      EXPOSURE_LOG: join(scratch, `${example}-${signal}.jsonl`),
    };
    // Next.js and the API take a free port from PORT=0; vite takes the next free one after 5173.
    const pnpm = spawn('pnpm', [script], { cwd: join(ROOT, 'examples', example), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    pnpm.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    pnpm.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise((resolve) => pnpm.once('exit', resolve));
    spawned.add(pnpm.pid!);
    // Vite colours its banner when CI is set (\x1b[1mLocal\x1b[22m:), so the ready line is matched without colours.
    expect(await waitUntil(() => ready.test(stripVTControlCharacters(output)), 90_000), output).toBe(true);
    const started = descendants(pnpm.pid!);
    for (const pid of started) spawned.add(pid);
    expect(started.length, output).toBeGreaterThan(0);
    pnpm.kill(signal);
    await exited;
    expect(await waitUntil(() => started.every((pid) => !isRunning(pid)), 30_000), `still running after pnpm exited: ${started.filter(isRunning).join(', ')}\n${output}`).toBe(true);
  }, 150_000);
});
