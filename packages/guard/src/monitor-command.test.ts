import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runGuardCommand } from './cli.js';
import { exportLines } from './test-support/events.js';
import { dropSchema, POSTGRES_URL, uniqueName } from './test-support/services.js';

const dir = mkdtempSync(join(tmpdir(), 'guard-cli-'));
const schemas: string[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const schema of schemas) await dropSchema(schema);
});

/** A time just ahead: the events belong to the stage the monitor starts now. */
const soon = () => new Date(Date.now() + 60_000).toISOString();

const plan = (name: string, extra: object = {}) => {
  const path = join(dir, `${name}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      experiment: 'checkout_v2',
      variants: ['old', 'new'],
      events: ['checkout_error'],
      guardrails: ['rate:checkout_error:2%:5%'],
      stages: [
        { name: 'canary', percent: 5, minDuration: '5m' },
        { name: 'full', percent: 100, minDuration: '5m' },
      ],
      interval: '1m',
      advance: 'manual',
      ...extra,
    }),
  );
  return path;
};

async function guard(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runGuardCommand(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, cwd: dir, env: { USER: 'ana' } });
  return { code, stdout, stderr };
}

describe('bucketry-guard monitor --once', () => {
  it('prints one JSON decision per look and exits by verdict: 1 HOLD, 3 ROLLBACK', async () => {
    const planPath = plan('rollback');
    const events = join(dir, 'rollback-events.jsonl');
    writeFileSync(events, '');
    const store = `file:${join(dir, 'rollback-store.json')}`;
    const hold = await guard('monitor', '--plan', planPath, '--store', store, '--events', events, '--once');
    expect(hold.code).toBe(1);
    expect(JSON.parse(hold.stdout)).toMatchObject({ verdict: 'HOLD', reason: 'no-data', experiment: 'checkout_v2' });
    appendFileSync(events, exportLines({ at: soon(), units: 40_000, treatmentShare: 0.05, errorRates: [0.01, 0.06] }));
    const rollback = await guard('monitor', '--plan', planPath, '--store', store, '--events', events, '--once');
    expect(rollback.code).toBe(3);
    expect(rollback.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(rollback.stdout)).toMatchObject({ verdict: 'ROLLBACK', action: 'rolled-back', look: 2 });
    expect(JSON.parse(readFileSync(join(dir, 'rollback-store.json'), 'utf8')).rollouts.checkout_v2.rollout).toBe(0);
  });

  it('refuses bad plans and flags before anything runs, exit 2, naming field, value and rule', async () => {
    const bad = plan('bad', { stages: [{ percent: 25, minDuration: '1h' }, { percent: 5, minDuration: '1h' }] });
    const result = await guard('monitor', '--plan', bad, '--store', `file:${join(dir, 'bad-store.json')}`, '--events', join(dir, 'none.jsonl'), '--once');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`bucketry monitor: --plan ${bad}: stages[1].percent is 5, must be above stages[0].percent (25): stages only rise\n`);
    expect(() => readFileSync(join(dir, 'bad-store.json'))).toThrow();
    expect((await guard('monitor', '--plan', bad)).stderr).toMatch(/--store is required/);
    expect((await guard('monitor', '--plan', plan('ok'), '--store', 'mysql://x', '--events', 'e.jsonl')).stderr).toMatch(/--store: store must be file:<path>, postgres:/);
    expect((await guard('monitor', '--plann', 'x')).code).toBe(2);
  });
});

describe('bucketry-guard advance', () => {
  it('approves a manual plan once the monitor reports it ready, and says so', async () => {
    const planPath = plan('manual');
    const events = join(dir, 'manual-events.jsonl');
    writeFileSync(events, exportLines({ at: soon(), units: 60_000, treatmentShare: 0.05, errorRates: [0.005, 0.005] }));
    const store = `file:${join(dir, 'manual-store.json')}`;
    await guard('monitor', '--plan', planPath, '--store', store, '--events', events, '--once');
    const early = await guard('advance', 'checkout_v2', '--plan', planPath, '--store', store);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/^bucketry rollout advance: checkout_v2 is not ready to advance from canary \(5%\)/);
    const state = JSON.parse(readFileSync(join(dir, 'manual.state.json'), 'utf8'));
    state.stageStartedAt = new Date(Date.now() - 6 * 60_000).toISOString(); // the stage ran its 5 minutes
    writeFileSync(join(dir, 'manual.state.json'), JSON.stringify(state));
    const ready = await guard('monitor', '--plan', planPath, '--store', store, '--events', events, '--once');
    expect(JSON.parse(ready.stdout)).toMatchObject({ action: 'ready-to-advance' });
    const approved = await guard('advance', 'checkout_v2', '--plan', planPath, '--store', store);
    expect(approved).toMatchObject({ code: 0, stdout: 'checkout_v2: 5% → 100% (full, version 4), approved by ana\n' });
    expect((await guard('advance', 'other', '--plan', planPath, '--store', store)).stderr).toMatch(/experiment is "other", but the plan .* is for checkout_v2/);
  });
});

describe('bucketry-guard monitor --serve', () => {
  it('serves the status page of the running monitor until stopped', async () => {
    const planPath = plan('serve', { interval: '1h' });
    const events = join(dir, 'serve-events.jsonl');
    writeFileSync(events, exportLines({ at: soon(), units: 2000, treatmentShare: 0.05, errorRates: [0.01, 0.01] }));
    let stderr = '';
    let stdout = '';
    const stop = new AbortController();
    const running = runGuardCommand(['monitor', '--plan', planPath, '--store', `file:${join(dir, 'serve-store.json')}`, '--events', events, '--serve', '0'], {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      cwd: dir,
      env: {},
      signal: stop.signal,
    });
    for (let i = 0; i < 3000 && !(/status page listening on (\S+)/.test(stderr) && stdout.includes('"look":1')); i++) await new Promise((r) => setTimeout(r, 20));
    if (!/status page listening on/.test(stderr)) throw new Error(`no status page: ${stderr} ${stdout}`);
    const url = /status page listening on (\S+)/.exec(stderr)![1]!;
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('checkout_v2');
    expect(html).toContain('canary');
    stop.abort();
    expect(await running).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  });
});

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const bucketryBin = join(repo, 'packages/analyze/dist/cli.js');

/** Runs the built `bucketry` CLI; resolves when it exits. */
function run(args: string[], until?: (stderr: string) => boolean) {
  const child = spawn(process.execPath, [bucketryBin, ...args], { cwd: dir, env: { ...process.env, USER: 'ana' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  const ready = new Promise<void>((resolve) => {
    if (!until) return resolve();
    const check = () => (until(stderr + stdout) ? resolve() : undefined);
    child.stderr.on('data', check);
    child.stdout.on('data', check);
  });
  return { child, exited, ready };
}

describe('bucketry monitor (the main CLI) with a PostgreSQL store', () => {
  it('runs until stopped; a second monitor on the same experiment is refused naming the first', async () => {
    const schema = uniqueName('guard_cli');
    schemas.push(schema);
    const store = `${POSTGRES_URL}?schema=${schema}`;
    const planPath = plan('pg', { interval: '1h' });
    const events = join(dir, 'pg-events.jsonl');
    writeFileSync(events, '');
    const first = run(['monitor', '--plan', planPath, '--store', store, '--events', events], (out) => out.includes('"look":1'));
    await first.ready;
    const second = await run(['monitor', '--plan', planPath, '--store', store, '--events', events, '--once']).exited;
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/^bucketry monitor: another monitor is watching checkout_v2: bucketry-monitor pid \d+ on host .* holds PostgreSQL advisory lock "bucketry-monitor:checkout_v2"/);
    first.child.kill('SIGTERM');
    const stopped = await first.exited;
    expect(stopped.code).toBe(0);
    expect(JSON.parse(stopped.stdout.trim().split('\n')[0]!)).toMatchObject({ look: 1, reason: 'no-data' });
    const history = await run(['rollout', 'history', 'checkout_v2', '--store', store]).exited;
    expect(history.stdout).toMatch(/bucketry-monitor +- → 5% +phase canary/);
    expect(history.stdout).toMatch(/\[checkout_v2 look 1\] HOLD no-data/);
  });
});
