import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForNode } from './test-support/node-bundle.js';

// The `bucketry-rollout` bin as a process: src/bin.ts bundled (as tsup does for dist/bin.js) and run with node.
const dir = mkdtempSync(join(tmpdir(), 'bucketry-live-bin-'));
const bin = join(dir, 'bin.mjs');
beforeAll(() => bundleForNode('bin.ts', bin));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) =>
  promisify(execFile)(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, BUCKETRY_STORE: 'file:bin-rollouts.json', USER: 'bin-user' } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

describe('bucketry-rollout (the bin)', () => {
  it('sets a rollout from BUCKETRY_STORE and exits 0; bad usage exits 2', async () => {
    expect(await run(['set', 'skill_tree_layout', '10', '--phase', 'smoke'])).toEqual({
      code: 0, stdout: 'skill_tree_layout: - → 10% (version 0 → 1, phase smoke, by bin-user)\n', stderr: '',
    });
    const bad = await run(['set', 'skill_tree_layout', '--fraction', '10']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('give 10 as a percent');
  });
});
