import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { guardCommand } from './guard-command.js';
import { runCli } from './main.js';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';

// It runs the CLI (runCli): the generous timeout of slow-tests.test.ts.
useSlowTestTimeouts();

const io = () => {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) }, stdin: Readable.from([]), cwd: process.cwd() } };
};

describe('bucketry monitor, baseline, report and rollout advance (through @bucketry/guard)', () => {
  it('names @bucketry/guard when it is missing, and shows any other missing module as it is', async () => {
    const missing = (name: string) => () => Promise.reject(Object.assign(new Error(`Cannot find package '${name}' imported from /app/x.js`), { code: 'ERR_MODULE_NOT_FOUND' }));
    const { out, io: cli } = io();
    expect(await guardCommand('advance', missing('@bucketry/guard'))(['x'], cli)).toBe(2);
    expect(out.stderr).toBe('bucketry rollout advance: needs @bucketry/guard beside @bucketry/analyze (npm i @bucketry/guard)\n');
    await expect(guardCommand('monitor', missing('ioredis'))([], cli)).rejects.toThrow("Cannot find package 'ioredis'");
  });

  it('hands the command, its flags and the CLI\'s streams and folder to the guard', async () => {
    const seen: (readonly string[])[] = [];
    const ios: { stdout: unknown; stderr: unknown; cwd: string }[] = [];
    const fake = async () => ({ runGuardCommand: async (argv: readonly string[], guardIo: { stdout: unknown; stderr: unknown; cwd: string }) => (seen.push(argv), ios.push(guardIo), 7) });
    const { io: base } = io();
    const cli = { ...base, cwd: '/srv/rollouts' };
    expect(await guardCommand('monitor', fake)(['--plan', 'p.json'], cli)).toBe(7);
    expect(seen).toEqual([['monitor', '--plan', 'p.json']]);
    expect(ios[0]).toMatchObject({ cwd: '/srv/rollouts' });
    expect(ios[0]!.stdout).toBe(cli.stdout);
    expect(ios[0]!.stderr).toBe(cli.stderr);
  });

  it('are listed in the main help', async () => {
    const { out, io: cli } = io();
    await runCli(['--help'], cli);
    expect(out.stdout).toMatch(/^ {2}rollout advance +approve the next stage/m);
    expect(out.stdout).toMatch(/^ {2}monitor +watch a rollout plan/m);
    expect(out.stdout).toMatch(/^ {2}baseline +record a plan's guardrail metrics/m);
    expect(out.stdout).toMatch(/^ {2}report daily +a rollout's daily report/m);
  });
});
