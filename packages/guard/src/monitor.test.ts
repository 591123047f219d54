import { getEventListeners } from 'node:events';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type RolloutStore } from '@bucketry/live';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { advanceRollout } from './advance.js';
import { createMonitor, MONITOR_ACTOR, MonitorStoppedError, type MonitorOptions } from './monitor.js';
import { parsePlan } from './plan.js';
import { openEventSource, type EventSource } from './source.js';
import { readState } from './state-file.js';
import { exportLines } from './test-support/events.js';
import type { Decision } from './types.js';
import { createWebhook } from './webhook.js';

const HOUR = 3_600_000;
const planFile = (advance: 'auto' | 'manual', extra: object = {}) =>
  parsePlan({
    experiment: 'checkout_v2',
    variants: ['old', 'new'],
    events: ['checkout_error'],
    guardrails: ['rate:checkout_error:2%:5%'],
    stages: [
      { name: 'canary', percent: 5, minDuration: '2h' },
      { name: 'beta', percent: 25, minDuration: '2h' },
    ],
    interval: '10m',
    advance,
    ...extra,
  });

let dir: string;
let store: RolloutStore;
let clock: number;
let lines: string[];
let eventsPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guard-monitor-'));
  store = openStore(`file:${join(dir, 'rollouts.json')}`);
  clock = Date.UTC(2026, 10, 30, 9); // before the exported events' time (2026-12-01): they belong to the stage
  lines = [];
  eventsPath = join(dir, 'events.jsonl');
  writeFileSync(eventsPath, '');
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const monitorOf = async (plan = planFile('auto'), extra: Partial<MonitorOptions> = {}) =>
  createMonitor({ plan, store, source: await openEventSource(eventsPath), statePath: join(dir, 'plan.state.json'), log: (line) => lines.push(line), now: () => new Date(clock), ...extra });
const record = async () => (await store.read()).rollouts.checkout_v2!;

describe('the monitor', () => {
  it('starts the plan, rolls a regression back to 0% at once, and records why on stdout, in the store and in its state', async () => {
    const monitor = await monitorOf();
    const first = await monitor.look();
    expect(first).toMatchObject({ verdict: 'HOLD', reason: 'no-data', look: 1, percent: 5 });
    expect((await record()).rollout).toBe(5);
    appendFileSync(eventsPath, exportLines({ units: 40_000, treatmentShare: 0.05, errorRates: [0.01, 0.06] }));
    clock += 10 * 60_000;
    const second = await monitor.look();
    expect(second).toMatchObject({ verdict: 'ROLLBACK', reason: 'guardrail-breached', action: 'rolled-back', toPercent: 0, look: 2 });
    expect(second.message).toMatch(/^rolled back to 0%: checkout_error rate below 2\.0% \(rollback above 5\.0%\): new: checkout_error rate 5\.5% \(107\/1949 units, always-valid 4\.0% to 7\.5%\), above control, and recently up to 7\.5% \(107\/1949 units\): not shown below the 5\.0% rollback limit; control 0\.94%/);
    const now = await record();
    expect(now).toMatchObject({ rollout: 0, actor: MONITOR_ACTOR, phase: 'rollback' });
    expect(now.reason).toMatch(/^\[checkout_v2 look 2\] rolled back to 0%/);
    const history = await store.history('checkout_v2');
    expect(history.map((h) => [h.actor, h.to.rollout])).toEqual([
      [MONITOR_ACTOR, 5],
      [MONITOR_ACTOR, 5], // look 1's HOLD, recorded on the same rollout
      [MONITOR_ACTOR, 0],
    ]);
    expect(lines.map((l) => (JSON.parse(l) as Decision).verdict)).toEqual(['HOLD', 'ROLLBACK']);
    const state = (await readState(join(dir, 'plan.state.json')))!;
    expect(state).toMatchObject({ status: 'rolled-back', percent: 0, look: 2, pending: null });
    expect(state.exposures[0]! + state.exposures[1]!).toBe(40_000);
    await expect(monitor.look()).rejects.toBeInstanceOf(MonitorStoppedError);
  });

  it('proceeds within a stage until its minimum duration, then advances (automatic plans) with fresh tallies', async () => {
    const monitor = await monitorOf();
    appendFileSync(eventsPath, exportLines({ units: 60_000, treatmentShare: 0.05, errorRates: [0.005, 0.005] }));
    const early = await monitor.look();
    expect(early).toMatchObject({ verdict: 'PROCEED', reason: 'min-duration', action: 'none' });
    expect(early.message).toMatch(/ran 0m of 2h/);
    clock += 2 * HOUR;
    const ready = await monitor.look();
    expect(ready).toMatchObject({ verdict: 'PROCEED', action: 'advanced', toPercent: 25, stageName: 'canary' });
    expect(await record()).toMatchObject({ rollout: 25, phase: 'beta' });
    const state = (await readState(join(dir, 'plan.state.json')))!;
    expect(state).toMatchObject({ stage: 1, stageName: 'beta', percent: 25, exposures: [0, 0], stageStartedAt: new Date(clock).toISOString() });
    expect(state.tallies[0]!.arms.map((a) => a.n)).toEqual([0, 0]);
    expect(state.units).toEqual({});
    // Units of the canary exposed again in beta count in beta.
    appendFileSync(eventsPath, exportLines({ units: 1000, treatmentShare: 0.25, errorRates: [0.005, 0.005], seed: 2 }));
    clock += 10 * 60_000;
    const beta = await monitor.look();
    expect(beta).toMatchObject({ stageName: 'beta', percent: 25 });
    expect(beta.exposures[0]! + beta.exposures[1]!).toBe(1000);
  });

  it('holds, and does not advance, while a guardrail cannot pass yet, however long the stage ran', async () => {
    const monitor = await monitorOf();
    await monitor.look();
    appendFileSync(eventsPath, exportLines({ units: 1000, treatmentShare: 0.05, errorRates: [0.005, 0.005] }));
    clock += 3 * HOUR;
    const decision = await monitor.look();
    expect(decision).toMatchObject({ verdict: 'HOLD', reason: 'guardrail-pending', action: 'none', toPercent: 5 });
    expect(decision.message).toMatch(/^holding at 5%: checkout_error rate below 2\.0% \(rollback above 5\.0%\): new: needs 100 units per arm, has \d\d \(control \d+\)$/);
    expect((await record()).rollout).toBe(5);
  });

  it('manual plans report "ready to advance" and wait; bucketry rollout advance records the approval and the monitor follows', async () => {
    const plan = planFile('manual');
    const monitor = await monitorOf(plan);
    appendFileSync(eventsPath, exportLines({ units: 60_000, treatmentShare: 0.05, errorRates: [0.005, 0.005] }));
    await expect(advanceRollout({ plan, store, statePath: join(dir, 'plan.state.json'), actor: 'ana' })).rejects.toThrow(/no monitor state/);
    await monitor.look();
    await expect(advanceRollout({ plan, store, statePath: join(dir, 'plan.state.json'), actor: 'ana' })).rejects.toThrow(/not ready to advance from canary \(5%\): the monitor's last look .*PROCEED min-duration/);
    clock += 2 * HOUR;
    const ready = await monitor.look();
    expect(ready).toMatchObject({ verdict: 'PROCEED', reason: 'awaiting-approval', action: 'ready-to-advance', toPercent: 5 });
    expect(ready.message).toMatch(/run bucketry rollout advance checkout_v2 to go to 25% \(beta\)/);
    expect((await record()).rollout).toBe(5);
    const { record: approved } = await advanceRollout({ plan, store, statePath: join(dir, 'plan.state.json'), actor: 'ana' });
    expect(approved).toMatchObject({ rollout: 25, actor: 'ana', phase: 'beta' });
    clock += 10 * 60_000;
    const next = await monitor.look();
    expect(next).toMatchObject({ stage: 1, stageName: 'beta', percent: 25, reason: 'no-data' });
    expect(next.message).toMatch(/^advanced to beta \(25%\): set to 25% by ana/);
  });

  it('holds when the source cannot be read — never a PROCEED — and keeps its read position', async () => {
    rmSync(eventsPath);
    const monitor = await monitorOf();
    const decision = await monitor.look();
    expect(decision).toMatchObject({ verdict: 'HOLD', reason: 'source-unreadable', action: 'none' });
    expect(decision.message).toMatch(/file .*events\.jsonl: events file .* does not exist/);
    expect((await readState(join(dir, 'plan.state.json')))!.cursor).toBeNull();
  });

  it('restarted mid-stage, resumes from its state: looks numbered on, events never counted twice', async () => {
    appendFileSync(eventsPath, exportLines({ units: 1000, treatmentShare: 0.05, errorRates: [0.01, 0.01] }));
    await (await monitorOf()).look();
    appendFileSync(eventsPath, exportLines({ first: 1000, units: 500, treatmentShare: 0.05, errorRates: [0.01, 0.01] }));
    const resumed = await (await monitorOf()).look();
    expect(resumed.look).toBe(2);
    expect(resumed.exposures[0]! + resumed.exposures[1]!).toBe(1500);
    const again = await (await monitorOf()).look();
    expect(again.exposures[0]! + again.exposures[1]!).toBe(1500);
  });

  it('a change decided before a crash is made once: found in the store it is not repeated, missing it is made', async () => {
    const monitor = await monitorOf();
    await monitor.look();
    const statePath = join(dir, 'plan.state.json');
    const state = (await readState(statePath))!;
    // Crashed after writing the rollback: the store's record carries the tag.
    await store.write('checkout_v2', { rollout: 0, enabled: true, actor: MONITOR_ACTOR, phase: 'rollback', reason: '[checkout_v2 look 2] rolled back', at: new Date(clock).toISOString(), expectedVersion: undefined, force: true });
    writeFileSync(statePath, JSON.stringify({ ...state, pending: { look: 2, toPercent: 0, tag: '[checkout_v2 look 2]' } }));
    const versions = (await store.history('checkout_v2')).length;
    await (await monitorOf()).look().catch(() => {});
    expect((await store.history('checkout_v2')).length).toBe(versions);
    // Crashed before writing it: made on restart, once.
    await store.write('checkout_v2', { rollout: 5, enabled: true, actor: 'ana', phase: 'canary', reason: 'back', at: new Date(clock).toISOString(), expectedVersion: undefined, force: false });
    writeFileSync(statePath, JSON.stringify({ ...state, pending: { look: 3, toPercent: 0, tag: '[checkout_v2 look 3]' } }));
    await (await monitorOf()).look().catch(() => {});
    const history = await store.history('checkout_v2');
    expect(history.filter((h) => (h.reason ?? '').startsWith('[checkout_v2 look 3]') && h.to.rollout === 0)).toHaveLength(1);
  });

  it('does not fight a change made by hand, and stops when the kill switch was used', async () => {
    const monitor = await monitorOf();
    await monitor.look();
    await store.write('checkout_v2', { rollout: 7, enabled: true, actor: 'ana', phase: null, reason: 'trying 7', at: new Date(clock).toISOString(), expectedVersion: undefined, force: false });
    const held = await monitor.look();
    expect(held).toMatchObject({ verdict: 'HOLD', reason: 'store-changed', action: 'none' });
    expect(held.message).toMatch(/is at 7% in the store \(set by ana/);
    expect((await record()).rollout).toBe(7);
    await store.write('checkout_v2', { rollout: 0, enabled: true, actor: 'oncall', phase: 'rollback', reason: 'kill switch', at: new Date(clock).toISOString(), expectedVersion: undefined, force: true });
    const stopped = await monitor.look();
    expect(stopped).toMatchObject({ reason: 'store-changed', toPercent: 0 });
    expect(stopped.message).toMatch(/set to 0% by oncall .*kill switch.*the monitor ends/);
    expect((await readState(join(dir, 'plan.state.json')))!.status).toBe('rolled-back');
  });

  it('stops without acting when it lost its lock, even with a regression in front of it', async () => {
    let lost: string | null = null;
    const lock = { holder: 'pid 1 on host h', lost: () => lost, release: async () => {} };
    const monitor = await monitorOf(planFile('auto'), { lock });
    await monitor.look();
    appendFileSync(eventsPath, exportLines({ units: 40_000, treatmentShare: 0.05, errorRates: [0.01, 0.06] }));
    lost = 'Redis key bucketry:monitor-lock:checkout_v2 is no longer this monitor\'s';
    await expect(monitor.look()).rejects.toThrow(/no longer holds its lock \(Redis key .* is no longer this monitor's\); it stops without acting/);
    expect((await record()).rollout).toBe(5);
    expect((await readState(join(dir, 'plan.state.json')))!.look).toBe(1);
  });

  it('stops without acting when it loses its lock during the look, between reading and changing the store', async () => {
    let lost: string | null = null;
    const lock = { holder: 'pid 1 on host h', lost: () => lost, release: async () => {} };
    await (await monitorOf()).look();
    appendFileSync(eventsPath, exportLines({ units: 40_000, treatmentShare: 0.05, errorRates: [0.01, 0.06] }));
    const source = await openEventSource(eventsPath);
    const losing: EventSource = {
      description: source.description,
      close: () => source.close(),
      read: async (cursor, sink) => {
        const read = await source.read(cursor, sink);
        lost = 'the PostgreSQL connection holding the lock closed';
        return read;
      },
    };
    await expect((await monitorOf(planFile('auto'), { lock, source: losing })).look()).rejects.toThrow(/no longer holds its lock \(the PostgreSQL connection holding the lock closed\); it stops without acting/);
    expect((await record()).rollout).toBe(5);
  });

  it('rolls back over a change that came between its read of the store and its write: a rollback is never refused', async () => {
    await (await monitorOf()).look();
    appendFileSync(eventsPath, exportLines({ units: 40_000, treatmentShare: 0.05, errorRates: [0.01, 0.06] }));
    let raced = false;
    const racing: RolloutStore = {
      kind: store.kind,
      read: () => store.read(),
      history: (e) => store.history(e),
      watch: (a, b) => store.watch(a, b),
      close: async () => {},
      write: async (experiment, change) => {
        if (change.rollout === 0 && !raced) {
          raced = true; // someone annotates the canary first: the record the look read is a version behind
          await store.write(experiment, { rollout: 5, enabled: true, actor: 'ana', phase: 'canary', reason: 'a note', at: new Date(clock).toISOString(), expectedVersion: undefined, force: false });
        }
        return store.write(experiment, change);
      },
    };
    const decision = await (await monitorOf(planFile('auto'), { store: racing })).look();
    expect(raced).toBe(true);
    expect(decision).toMatchObject({ verdict: 'ROLLBACK', action: 'rolled-back' });
    expect(await record()).toMatchObject({ rollout: 0, actor: MONITOR_ACTOR });
  });

  it('holds on a sample ratio mismatch: exposures far from the stage split cannot be trusted', async () => {
    const monitor = await monitorOf();
    // 40% treated at a 5% stage: exposures lost in control, or instances serving another percent.
    appendFileSync(eventsPath, exportLines({ units: 5000, treatmentShare: 0.4, errorRates: [0.01, 0.01] }));
    const decision = await monitor.look();
    expect(decision).toMatchObject({ verdict: 'HOLD', reason: 'sample-ratio-mismatch', action: 'none' });
    expect(decision.message).toMatch(/^sample ratio mismatch: \d+ of 5000 exposed units \(\d+\.\d+%\) got a treatment at a 5% stage \(always-valid p = .* < 0\.001\)/);
  });

  it('will not lower a rollout that is already past the first stage', async () => {
    await store.write('checkout_v2', { rollout: 50, enabled: true, actor: 'ana', phase: null, reason: null, at: new Date(clock).toISOString(), expectedVersion: undefined, force: false });
    await expect((await monitorOf()).look()).rejects.toThrow(/is at 50% in the store, beyond the plan's first stage \(5%\); the monitor will not lower a rollout/);
  });

  it('posts rollbacks to the webhook without waiting for it, retrying failures', async () => {
    const bodies: Record<string, unknown>[] = [];
    let calls = 0;
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (c) => (body += c));
      request.on('end', () => {
        calls++;
        if (calls === 1) return void response.writeHead(503).end();
        bodies.push(JSON.parse(body));
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
    const errors: string[] = [];
    const webhook = createWebhook(url, { backoffMs: 10, onError: (e) => errors.push(e.message) });
    const monitor = await monitorOf(planFile('auto', { webhook: url }), { webhook });
    expect(await monitor.look()).toMatchObject({ verdict: 'HOLD', action: 'none' }); // not posted: nothing changed
    appendFileSync(eventsPath, exportLines({ units: 40_000, treatmentShare: 0.05, errorRates: [0.01, 0.06] }));
    const decision = await monitor.look();
    expect(decision.action).toBe('rolled-back');
    await webhook.flush();
    server.close();
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ experiment: 'checkout_v2', verdict: 'ROLLBACK', action: 'rolled-back', percent: 5, toPercent: 0, text: expect.stringMatching(/^:rotating_light: checkout_v2: ROLLBACK \(rolled-back, 5% → 0%\) — rolled back/) });
    expect(errors).toEqual(['webhook attempt 1 of 5 failed: webhook answered 503 Service Unavailable']);
    expect(webhook.stats()).toMatchObject({ sent: 1, failedAttempts: 1, dropped: 0 });
  });
});

describe('a webhook that never answers', () => {
  it('does not hold the monitor up: the rollback is made and the look returns with the notice still in flight', async () => {
    const server = createServer(() => {}); // takes the request, never answers
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
    const errors: string[] = [];
    const webhook = createWebhook(url, { attempts: 1, timeoutMs: 60_000, onError: (e) => errors.push(e.message) });
    const monitor = await monitorOf(planFile('auto', { webhook: url }), { webhook });
    appendFileSync(eventsPath, exportLines({ units: 40_000, treatmentShare: 0.05, errorRates: [0.01, 0.06] }));
    const decision = await monitor.look();
    expect(decision.action).toBe('rolled-back');
    expect((await record()).rollout).toBe(0);
    expect(webhook.stats()).toMatchObject({ pending: 1, sent: 0 });
    server.closeAllConnections();
    server.close();
    await webhook.flush();
    expect(webhook.stats()).toMatchObject({ pending: 0, dropped: 1 });
    expect(errors).toHaveLength(1);
  });
});

describe('run()', () => {
  it('retries a look that failed outright within seconds, not a plan interval later: a rollback the store refused is made once it answers', async () => {
    const monitor0 = await monitorOf(planFile('auto', { interval: '1h' }));
    await monitor0.look();
    appendFileSync(eventsPath, exportLines({ units: 40_000, treatmentShare: 0.05, errorRates: [0.01, 0.06] }));
    let refusals = 2;
    const flaky: RolloutStore = {
      kind: store.kind,
      read: () => store.read(),
      history: (e) => store.history(e),
      watch: (a, b) => store.watch(a, b),
      close: async () => {},
      write: (experiment, change) => (change.rollout === 0 && refusals-- > 0 ? Promise.reject(new Error('store unreachable')) : store.write(experiment, change)),
    };
    const errors: string[] = [];
    const monitor = await monitorOf(planFile('auto', { interval: '1h' }), { store: flaky, onError: (e) => errors.push(e.message) });
    const stop = new AbortController();
    const guard = setTimeout(() => stop.abort(), 60_000);
    const state = await monitor.run(stop.signal);
    clearTimeout(guard);
    expect(state).toMatchObject({ status: 'rolled-back', percent: 0, pending: null });
    expect(errors).toEqual(['store unreachable', 'store unreachable']);
    expect((await record()).rollout).toBe(0);
    expect((await store.history('checkout_v2')).filter((h) => h.to.rollout === 0)).toHaveLength(1);
  });

  it('leaves no listener on its signal behind a look: a monitor of weeks does not pile one up per wait', async () => {
    const monitor = await monitorOf(planFile('auto', { interval: '1s' }));
    const stop = new AbortController();
    const guard = setTimeout(() => stop.abort(), 60_000);
    const running = monitor.run(stop.signal);
    while (lines.length < 4) await new Promise((r) => setTimeout(r, 20));
    // At most the wait in progress listens (Node warns of a leak past 10).
    expect(getEventListeners(stop.signal, 'abort').length).toBeLessThanOrEqual(1);
    stop.abort();
    await running;
    clearTimeout(guard);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });
});

describe('the baseline', () => {
  it('stands beside each guardrail of a decision, as a number and in its message', async () => {
    const baseline = {
      format: 1 as const, experiment: 'checkout_v2', from: '2026-11-24T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z', recordedAt: '2026-12-01T00:00:00.000Z',
      source: 'events.jsonl', units: 48_200, events: 60_000, lines: 60_000, badLines: 0,
      metrics: [{ label: 'checkout_error rate below 2.0% (rollback above 5.0%)', type: 'rate' as const, subject: 'checkout_error', samples: 48_200, hits: 530, value: 0.011, shareAboveHold: null, shareAboveRollback: null }],
    };
    appendFileSync(eventsPath, exportLines({ units: 1000, treatmentShare: 0.05, errorRates: [0.01, 0.01] }));
    const decision = await (await monitorOf(planFile('auto'), { baseline })).look();
    expect(decision.guardrails[0]!.baseline).toBe(0.011);
    expect(decision.guardrails[0]!.message).toMatch(/; baseline 1\.10% of units \(530\/48,200\)$/);
  });
});

describe('the state file', () => {
  it('is JSON the status page can read', async () => {
    await (await monitorOf()).look();
    expect(JSON.parse(readFileSync(join(dir, 'plan.state.json'), 'utf8'))).toMatchObject({ format: 1, experiment: 'checkout_v2', stageName: 'canary' });
  });
});
