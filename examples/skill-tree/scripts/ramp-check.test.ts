import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useScratchDir } from '../src/test-support/scratch-dir.js';

const SCRIPT = fileURLToPath(new URL('./ramp-check.mjs', import.meta.url));

function rampCheck(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
  });
}

const exposure = (unit: string, variant: string, experiment = 'skill_tree_layout') =>
  JSON.stringify({ type: 'track', event: 'experiment_exposure', ...(unit.startsWith('anon-') ? { anonymousId: unit } : { userId: unit }), properties: { experiment, variant } });
const session = (unit: string, variant: string) => JSON.stringify({ type: 'track', event: 'session_started_from_tree', userId: unit, properties: { experiment: 'skill_tree_layout', variant } });

const scratch = useScratchDir('ramp-check-');
const file = async (name: string, lines: string[]) => {
  const path = scratch(name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
};

describe('ramp-check.mjs', () => {
  it('counts the moves of the units exposed at both stages and exits 0 when nobody went back to tree', async () => {
    const before = await file('ok-10.jsonl', [exposure('u1', 'tree'), exposure('u2', 'tree'), exposure('anon-3', 'list'), exposure('u4', 'tree'), session('u1', 'list')]);
    // u4 did not come back; u5 is new; another experiment's exposures do not count.
    const after = await file('ok-50.jsonl', [exposure('u1', 'tree'), exposure('u2', 'list'), exposure('anon-3', 'list'), exposure('u5', 'list'), exposure('u1', 'list', 'other_experiment')]);
    const { code, stdout } = await rampCheck([before, after]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      ['3 units exposed at both stages', '  tree → tree       1', '  tree → list       1', '  list → tree       0', '  list → list       1', 'OK: nobody moved from list back to tree', ''].join('\n'),
    );
  });

  it('exits 1 and names units that moved from list back to tree', async () => {
    const before = await file('bad-50.jsonl', [exposure('u1', 'list'), exposure('u2', 'list')]);
    const after = await file('bad-10.jsonl', [exposure('u1', 'tree'), exposure('u2', 'list')]);
    const { code, stdout } = await rampCheck([before, after]);
    expect(code).toBe(1);
    expect(stdout).toContain('  list → tree       1');
    expect(stdout).toContain('FAILED: 1 units moved from list back to tree, e.g. u1');
  });

  it.each([
    [[], 'usage: node scripts/ramp-check.mjs'],
    [['missing.jsonl', 'missing-too.jsonl'], 'ramp-check: ENOENT'],
  ])('exits 2 for %j', async (args, message) => {
    const { code, stderr } = await rampCheck(args.map(scratch));
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('exits 2 when the exports share no unit', async () => {
    const { code, stderr } = await rampCheck([await file('a.jsonl', [exposure('u1', 'tree')]), await file('b.jsonl', [exposure('u2', 'list')])]);
    expect(code).toBe(2);
    expect(stderr).toContain('no unit is in both exports');
  });
});
