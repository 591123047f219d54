import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';
import { runCli } from './main.js';
import { rolloutCommand } from './rollout-command.js';

useSlowTestTimeouts();

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function bucketry(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, stdin: Readable.from([]), cwd: process.cwd() };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

describe('bucketry rollout (through @bucketry/live)', () => {
  it('sets a rollout in a file store, then reports it in status and history', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bucketry-rollout-'));
    dirs.push(dir);
    const store = `file:${join(dir, 'rollouts.json')}`;
    expect((await bucketry('rollout', 'set', 'skill_tree_layout', '5', '--phase', 'canary', '--actor', 'alice', '--store', store)).code).toBe(0);
    expect((await bucketry('rollout', 'set', 'skill_tree_layout', '--fraction', '0.25', '--actor', 'bob', '--store', store)).code).toBe(0);
    const status = await bucketry('rollout', 'status', 'skill_tree_layout', '--store', store, '--format', 'json');
    expect(JSON.parse(status.stdout).experiments.skill_tree_layout).toMatchObject({ enabled: true, percentage: 25, version: 2, actor: 'bob' });
    const history = await bucketry('rollout', 'history', 'skill_tree_layout', '--store', store);
    expect(history.stdout.trim().split('\n').map((line) => line.replace(/^\S+\s+/, ''))).toEqual([
      'v1  alice  - → 5%  phase canary',
      'v2  bob  5% → 25%',
    ]);
  });

  it('refuses an out-of-range percent with the rule and exit 2, writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bucketry-rollout-'));
    dirs.push(dir);
    const result = await bucketry('rollout', 'set', 'skill_tree_layout', '150', '--store', `file:${join(dir, 'rollouts.json')}`);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('percent must be from 0 to 100');
    expect((await bucketry('rollout', 'status', '--store', `file:${join(dir, 'rollouts.json')}`)).code).not.toBe(0);
  });

  it('is listed in the main help', async () => {
    expect((await bucketry('--help')).stdout).toMatch(/^ {2}rollout <set\|status\|history>/m);
  });

  it('names @bucketry/live when it is missing, and shows any other missing module as it is', async () => {
    const missing = (name: string) => () => Promise.reject(Object.assign(new Error(`Cannot find package '${name}' imported from /app/x.js`), { code: 'ERR_MODULE_NOT_FOUND' }));
    let stderr = '';
    const io = { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) }, stdin: Readable.from([]), cwd: process.cwd() };
    expect(await rolloutCommand(['status'], io, missing('@bucketry/live'))).toBe(2);
    expect(stderr).toBe('bucketry rollout: needs @bucketry/live beside @bucketry/analyze (npm i @bucketry/live)\n');
    await expect(rolloutCommand(['status'], io, missing('pg'))).rejects.toThrow("Cannot find package 'pg'");
  });
});
