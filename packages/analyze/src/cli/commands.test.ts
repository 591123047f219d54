import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { assignVariant, defineExperiment } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { simulateExport } from '../simulate/simulate.js';
import { cliSandbox } from './cli-sandbox.test-helper.js';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';

// runCli in every test: the generous timeout (slow-tests.test.ts).
useSlowTestTimeouts();

const { dir, run, write } = cliSandbox();
const healthy = write('healthy.jsonl', simulateExport({ users: 2000, rollout: 10, seed: 7 }));

describe('bucketry sample-size', () => {
  it('prints the units per variant', async () => {
    const { code, stdout } = await run(['sample-size', '--baseline', '0.10', '--mde', '0.05', '--relative']);
    expect(code).toBe(0);
    expect(stdout).toContain('57,760 units per variant, 115,520 in total (2 variants)');
    const json = JSON.parse((await run(['sample-size', '--baseline', '5%', '--mde', '10%', '--relative', '--format', 'json'])).stdout);
    expect(json.perVariant).toEqual([31_231, 31_231]);
  });

  it('takes a negative number as a value: --mde -0.03 is --mde=-0.03', async () => {
    const spaced = await run(['sample-size', '--baseline', '0.25', '--mde', '-0.03']);
    expect(spaced.stderr).toBe('');
    expect(spaced).toEqual(await run(['sample-size', '--baseline', '0.25', '--mde=-0.03']));
    expect(spaced.code).toBe(0);
    // Without a leading 0, and in exponent form, too.
    expect(await run(['sample-size', '--baseline', '0.25', '--mde', '-.03'])).toEqual(spaced);
    expect(await run(['sample-size', '--baseline', '0.25', '--mde', '-3e-2'])).toEqual(spaced);
    // A flag after a flag that needs a value is still missing its value.
    expect((await run(['sample-size', '--baseline', '--mde', '0.03'])).stderr).toContain('--baseline needs a value');
  });

  it('splits unequal traffic', async () => {
    const { stdout } = await run(['sample-size', '--baseline', '0.10', '--mde', '0.05', '--relative', '--weights', '90,10']);
    expect(stdout).toContain('control 293,792, treatment 1 32,644');
  });

  it.each([
    [['sample-size', '--mde', '0.05'], 'missing --baseline'],
    [['sample-size', '--baseline', '1.5', '--mde', '0.05'], '--baseline "1.5": must be a number between 0 and 1 (exclusive)'],
    [['sample-size', '--baseline', '0.1', '--mde', '0'], '--mde "0": must not be 0'],
    [['sample-size', '--baseline', '0.9', '--mde', '0.2'], "--mde \"0.2\": the treatment's rate would be 1.1, must be between 0 and 1"],
    [['sample-size', '--baseline', '0.1', '--mde', '0.01', '--power', '80'], '--power "80": must be a number between 0 and 1'],
    [['sample-size', '--baseline', '0.1', '--mde', '0.01', '--variants', '1'], '--variants "1": must be a whole number >= 2'],
    [['sample-size', '--baseline', '0.1', '--mde', '0.01', '--relative=yes'], '--relative takes no value'],
  ])('exits 2 on %j', async (args, message) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});

describe('bucketry assign', () => {
  it('gives what @bucketry/core gives, with reason and bucket', async () => {
    const expected = assignVariant(defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 10 }), 'user-42');
    const { code, stdout } = await run(['assign', '--experiment', 'skill_tree_layout', '--variants', 'tree,list', '--rollout', '10', '--unit', 'user-42', '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ unit: 'user-42', variant: expected.variant, reason: 'bucketed', bucket: expected.bucket, inExperiment: true });
    const text = (await run(['assign', '--experiment', 'skill_tree_layout', '--variants', 'tree,list', '--rollout', '10', '--unit', 'user-42'])).stdout;
    expect(text).toContain(`skill_tree_layout  user-42  →  ${expected.variant}  (reason bucketed, bucket ${expected.bucket.toLocaleString('en-US')} of 1,000,000, in the experiment`);
  });

  it('reads experiments from a config file, overrides included', async () => {
    writeFileSync(
      join(dir, 'experiments.json'),
      JSON.stringify({ experiments: [{ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 50, overrides: { 'qa-1': 'list' } }] }),
    );
    const { stdout } = await run(['assign', '--experiment', 'skill_tree_layout', '--config', 'experiments.json', '--unit', 'qa-1', '--unit', 'user-7', '--format', 'json']);
    const [qa, user] = JSON.parse(stdout);
    expect(qa).toMatchObject({ unit: 'qa-1', variant: 'list', reason: 'override', inExperiment: false });
    expect(user).toMatchObject({ unit: 'user-7', reason: 'bucketed' });
  });

  it.each([
    [['assign', '--unit', 'u'], 'missing --experiment'],
    [['assign', '--experiment', 'x'], 'missing --unit'],
    [['assign', '--experiment', 'x', '--unit', 'u', '--rollout', '120'], '--rollout "120": must be a number from 0 to 100'],
    [['assign', '--experiment', 'Bad Key', '--unit', 'u'], 'bucketry assign: experiment from flags: key '],
    [['assign', '--experiment', 'x', '--unit', 'u', '--config', 'missing.json'], '--config missing.json: no such file'],
    [['assign', '--experiment', 'other', '--unit', 'u', '--config', 'experiments.json'], '--experiment "other" is not in --config experiments.json (it has: skill_tree_layout)'],
    [['assign', '--experiment', 'x', '--unit', 'u', '--attributes', '[1]'], '--attributes "[1]": must be a JSON object'],
  ])('exits 2 on %j', async (args, message) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});

describe('bucketry simulate', () => {
  it('writes the same export for the same seed, to stdout or to a gzip file', async () => {
    const args = ['simulate', '--users', '300', '--rollout', '10', '--seed', '9'];
    const first = await run(args);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe((await run(args)).stdout);
    expect(first.stdout).not.toBe((await run([...args.slice(0, -1), '10'])).stdout);
    await run([...args, '--out', 'sim.jsonl.gz']);
    expect(gunzipSync(readFileSync(join(dir, 'sim.jsonl.gz'))).toString()).toBe(first.stdout);
    const amplitude = JSON.parse((await run([...args, '--format', 'amplitude'])).stdout.split('\n')[0]!);
    expect(Object.keys(amplitude)).toEqual(['event_type', 'user_id', 'device_id', 'event_time', 'event_properties', 'insert_id']);
  });

  it.each([
    [['simulate', '--rollout', '10'], 'missing --users'],
    [['simulate', '--users', '1.5', '--rollout', '10'], '--users "1.5": must be a whole number >= 1'],
    [['simulate', '--users', '10', '--rollout', '10', '--format', 'csv'], '--format "csv": must be segment or amplitude'],
    [['simulate', '--users', '10', '--rollout', '10', '--variants', 'tree'], '--variants "tree": must be two different names'],
    [['simulate', '--users', '10', '--rollout', '10', '--start', 'monday'], '--start "monday": must be an ISO 8601 date-time'],
  ])('exits 2 on %j', async (args, message) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});

describe('bucketry policy and help', () => {
  it('lists the presets and prints one as JSON', async () => {
    expect((await run(['policy'])).stdout).toMatch(/^smoke-10 {5}Skill-tree layout smoke test/);
    expect(JSON.parse((await run(['policy', 'ramp-50'])).stdout)).toMatchObject({ weights: [50, 50], metrics: ['session_started_from_tree'] });
  });

  it('prints help, and exits 2 on an unknown command', async () => {
    expect((await run(['--help'])).stdout).toContain('Usage: bucketry <command>');
    expect((await run(['analyze', '--help'])).stdout).toContain('Exit codes: 0 decision proceed');
    const unknown = await run(['analyse']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "analyse"');
  });

  it.each(['analyze', 'sample-size', 'assign', 'simulate', 'convert', 'sql', 'policy'])('bucketry %s --help prints its usage on stdout and exits 0', async (command) => {
    const help = await run([command, '--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(new RegExp(`^Usage: bucketry ${command} [^\\n]*\\n[\\s\\S]*[^\\n]\\n$`));
  });

  it('takes a name that only an object prototype has for no command and no preset', async () => {
    for (const name of ['constructor', 'toString', '__proto__']) {
      expect(await run([name])).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining(`unknown command "${name}"`) });
      expect(await run(['policy', name])).toEqual({ code: 2, stdout: '', stderr: `bucketry policy: policy "${name}": not a preset (smoke-10, ramp-50, staged-5, staged-25, staged-100) and no such file\n` });
      expect((await run(['analyze', healthy, '--policy', name])).stderr).toContain(`--policy "${name}": not a preset`);
    }
  });
});
