import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRolloutCommand } from './rollout-command.js';
import { POSTGRES_URL, REDIS_URL, deleteKeys, dropSchema, uniqueName } from './test-support/services.js';

const dir = mkdtempSync(join(tmpdir(), 'bucketry-live-cli-'));
const schema = uniqueName('live_cli');
const prefix = `${uniqueName('live_cli')}:`;
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropSchema(schema);
  await deleteKeys(prefix);
});

/** Runs the command in-process; returns the exit code and what it wrote. */
async function rollout(argv: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runRolloutCommand(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { USER: 'tester', ...env },
    cwd: dir,
  });
  return { code, stdout, stderr };
}

const stores: [string, string][] = [
  ['file', 'file:rollouts.json'],
  ['postgres', `${POSTGRES_URL}?schema=${schema}`],
  ['redis', `${REDIS_URL}/0?prefix=${encodeURIComponent(prefix)}`],
];

describe.each(stores)('bucketry rollout against the %s store', (_kind, store) => {
  it('sets, shows the status (text and json) and the history: who, when, from → to, phase, reason', async () => {
    expect(await rollout(['set', 'skill_tree_layout', '10', '--phase', 'smoke', '--reason', 'runbook step 1', '--actor', 'ana', '--store', store])).toEqual({
      code: 0, stdout: 'skill_tree_layout: - → 10% (version 0 → 1, phase smoke, by ana)\n', stderr: '',
    });
    expect((await rollout(['set', 'skill_tree_layout', '--fraction', '0.5', '--phase=ramp-50', '--store', store])).stdout).toBe(
      'skill_tree_layout: 10% → 50% (version 1 → 2, phase ramp-50, by tester)\n',
    );
    expect((await rollout(['set', 'pilot', '0.5', '--store', store])).code).toBe(0);

    const json = await rollout(['status', '--store', store, '--format', 'json']);
    expect(json.code).toBe(0);
    const { experiments } = JSON.parse(json.stdout);
    expect(experiments.skill_tree_layout).toMatchObject({ enabled: true, percentage: 50, version: 2, phase: 'ramp-50', actor: 'tester', reason: null });
    expect(experiments.pilot).toMatchObject({ enabled: true, percentage: 0.5 });

    const one = await rollout(['status', 'skill_tree_layout', '--store', store]);
    expect(one.stdout).toMatch(/^skill_tree_layout {2}50% {2}version 2 {2}ramp-50 {2}\d{4}-\d\d-\d\dT[\d:.]+Z {2}tester\n$/);

    const history = await rollout(['history', 'skill_tree_layout', '--store', store]);
    expect(history.code).toBe(0);
    const lines = history.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-.*Z {2}v1 {2}ana {2}- → 10% {2}phase smoke {2}reason: runbook step 1$/);
    expect(lines[1]).toMatch(/^\d{4}-.*Z {2}v2 {2}tester {2}10% → 50% {2}phase ramp-50$/);
  });

  it('refuses a stale --expect-version with exit 1, naming both versions; the kill switch is never refused', async () => {
    await rollout(['set', 'cas', '5', '--store', store]);
    await rollout(['set', 'cas', '20', '--actor', 'bo', '--expect-version', '1', '--store', store]);
    const lost = await rollout(['set', 'cas', '30', '--actor', 'cy', '--expect-version', '1', '--store', store]);
    expect(lost.code).toBe(1);
    expect(lost.stderr).toMatch(/^bucketry rollout: cas: expected version 1 but found version 2 \(20%, set by bo at .*\); another change came first and nothing was written/);
    expect(lost.stderr).toContain('to change it anyway: --expect-version 2');
    const kill = await rollout(['set', 'cas', '0', '--reason', 'errors up', '--expect-version', '1', '--store', store]);
    expect(kill).toMatchObject({ code: 0, stdout: 'cas: 20% → 0% (version 2 → 3, by tester) — kill switch: everyone gets control\n' });
    expect((await rollout(['history', 'cas', '--store', store])).stdout).toContain('20% → 0%  reason: errors up');
  });

  it('reads the store from BUCKETRY_STORE when --store is absent', async () => {
    expect((await rollout(['set', 'env_store', '1'], { BUCKETRY_STORE: store })).code).toBe(0);
    expect(JSON.parse((await rollout(['status', 'env_store', '--format', 'json'], { BUCKETRY_STORE: store })).stdout)).toEqual({
      experiments: { env_store: expect.objectContaining({ enabled: true, percentage: 1 }) },
    });
  });
});

describe('bucketry rollout usage errors (exit 2, with the rule and the usage)', () => {
  const store = 'file:usage.json';
  it.each([
    [['set', 'skill_tree_layout', '150', '--store', store], 'percent must be from 0 to 100 (10 is 10%; 0 is the kill switch), got "150"'],
    [['set', 'skill_tree_layout', '--fraction', '10', '--store', store], 'fraction must be from 0 to 1 (0.10 is 10%); to roll out to 10%, give 10 as a percent, got "10"'],
    [['set', 'skill_tree_layout', '10', '--fraction', '0.1', '--store', store], 'fraction must not be given with a percent (10); give one of them'],
    [['set', 'skill_tree_layout', '--store', store], 'rollout set skill_tree_layout needs a percent (0-100) or --fraction (0-1)'],
    [['set', 'skill_tree_layout', '10'], '--store is required (or set BUCKETRY_STORE)'],
    [['set', 'skill_tree_layout', '10', '--store', 'mysql://db'], 'store must be file:<path>, postgres://… (?schema=name) or redis://… (?prefix=name:), got "mysql://db"'],
    [['set', 'skill_tree_layout', '10', '--store', store, '--expect-version', 'two'], '--expect-version must be a whole number from 0, got "two"'],
    [['set', 'skill_tree_layout', '10', '--colour', 'red', '--store', store], 'unknown flag --colour'],
    [['set', 'skill_tree_layout', '10', '--phase', '--store', store], '--phase needs a value'],
    [['set', 'skill_tree_layout', '10', '11', '--store', store], 'unexpected argument "11"'],
    [['status', '--store', store, '--format', 'yaml'], '--format must be json or text, got "yaml"'],
    [['history', '--store', store], 'rollout history needs an experiment'],
    [['ramp', 'x', '--store', store], 'unknown command "ramp"; the commands are set, status and history'],
    [[], 'rollout needs a command: set, status or history'],
  ])('%j', async (argv, message) => {
    const { code, stdout, stderr } = await rollout(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`bucketry rollout: ${message}`);
    expect(stderr).toContain('Usage:');
  });

  it('writes nothing when it refuses', async () => {
    await rollout(['set', 'skill_tree_layout', '150', '--store', store]);
    expect(await rollout(['status', '--store', store])).toMatchObject({ code: 1, stderr: expect.stringContaining('ENOENT') });
  });

  it('fails with exit 1 and the reason when the store is unreachable, and 1 for an unknown experiment', async () => {
    const down = await rollout(['status', '--store', 'postgres://postgres@127.0.0.1:1/test']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('ECONNREFUSED');
    await rollout(['set', 'known', '1', '--store', 'file:known.json']);
    expect(await rollout(['status', 'unknown_one', '--store', 'file:known.json'])).toMatchObject({ code: 1, stderr: 'no rollout record for unknown_one in this store (known: known)\n' });
  });

  it('prints the usage for --help', async () => {
    expect(await rollout(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('bucketry rollout set <experiment> <percent>') });
  });
});
