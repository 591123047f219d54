import { assignVariant, defineExperiment } from '@bucketry/core';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runExampleToExit, startExample, type RunningExample } from './test-support/start-example.js';

const TOKEN = 'runbook-token-0123456789';
const HEADER = 'x-experiment-skill-tree-layout';

/** Users the engine puts on each layout at a rollout: the runbook's curl checks use such ids. */
function userWith(rollout: number, variant: 'tree' | 'list'): string {
  const experiment = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout });
  for (let i = 1; ; i++) if (assignVariant(experiment, `user-${i}`).variant === variant) return `user-${i}`;
}

const readLines = async (path: string) =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skill-tree-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the skill-tree example, started as `pnpm start` would', () => {
  let running: RunningExample | undefined;
  afterEach(async () => {
    await running?.stop('SIGKILL');
    running = undefined;
  });

  it('serves tree and list with the header and cookie at SKILL_TREE_LIST_ROLLOUT=10', async () => {
    running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '10', EXPOSURE_LOG: join(dir, 'headers.jsonl') });
    for (const variant of ['tree', 'list'] as const) {
      const user = userWith(10, variant);
      const response = await fetch(`${running.url}/api/v1/skills/tree`, { headers: { 'x-user-id': user } });
      expect(response.status).toBe(200);
      expect(response.headers.get(HEADER)).toBe(variant);
      expect(response.headers.getSetCookie()).toEqual([`exp_skill_tree_layout=${variant}; Path=/; Max-Age=2592000; SameSite=Lax; HttpOnly`]);
      const body = await response.json();
      expect(body.layout).toBe(variant);
      // The layouts really differ: nested children for tree, a flat list with prerequisites for list.
      expect(variant === 'tree' ? 'children' in body.skills[0] : 'requires' in body.skills[0]).toBe(true);
    }
  });

  it('answers the rollout status, health and, with the token, recent events', async () => {
    running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '50', EXPOSURE_LOG: join(dir, 'status.jsonl'), EVENTS_TOKEN: TOKEN });
    expect(await (await fetch(`${running.url}/api/feature-flags/skill_tree_layout`)).text()).toBe('{"enabled":true,"percentage":50}');
    expect(await (await fetch(`${running.url}/api/healthz`)).json()).toMatchObject({ status: 'ok', exposures: { dropped: 0 } });

    const user = userWith(50, 'list');
    await fetch(`${running.url}/api/v1/skills/tree`, { headers: { 'x-user-id': user } });
    const session = await fetch(`${running.url}/api/v1/sessions`, { method: 'POST', headers: { 'x-user-id': user } });
    expect(session.status).toBe(201);
    expect(await session.json()).toEqual({ recorded: 'session_started_from_tree', variant: 'list' });

    expect((await fetch(`${running.url}/api/events?limit=2`)).status).toBe(401);
    const events = await fetch(`${running.url}/api/events?limit=2`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const { events: latest } = await events.json();
    expect(latest).toHaveLength(2);
    expect(latest[0]).toMatchObject({ type: 'track', event: 'session_started_from_tree', userId: user, properties: { experiment: 'skill_tree_layout', variant: 'list' } });
    expect(latest[1]).toMatchObject({
      type: 'track',
      event: 'experiment_exposure',
      userId: user,
      properties: { experiment: 'skill_tree_layout', variant: 'list', reason: 'bucketed' },
    });
    expect((await fetch(`${running.url}/api/events?limit=abc`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(400);
  });

  it('keeps /api/events off without EVENTS_TOKEN', async () => {
    running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '10', EXPOSURE_LOG: join(dir, 'off.jsonl') });
    const response = await fetch(`${running.url}/api/events`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(404);
  });

  it('gives everyone tree at SKILL_TREE_LIST_ROLLOUT=0 and rewrites a list cookie', async () => {
    running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '0', EXPOSURE_LOG: join(dir, 'kill.jsonl') });
    const response = await fetch(`${running.url}/api/v1/skills/tree`, {
      headers: { 'x-user-id': userWith(10, 'list'), cookie: 'exp_skill_tree_layout=list' },
    });
    expect(response.headers.get(HEADER)).toBe('tree');
    expect(response.headers.getSetCookie()[0]).toMatch(/^exp_skill_tree_layout=tree;/);
    expect(await (await fetch(`${running.url}/api/feature-flags/skill_tree_layout`)).text()).toBe('{"enabled":false,"percentage":0}');
  });

  it('writes every exposure and session to EXPOSURE_LOG on SIGTERM, as Segment track calls, and exits 0', async () => {
    const path = join(dir, 'sigterm.jsonl');
    // A flush interval far longer than the test: everything is still queued when SIGTERM arrives.
    running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '50', EXPOSURE_LOG: path, EXPOSURE_FLUSH_MS: '600000' });
    const users = Array.from({ length: 250 }, (_, i) => `sigterm-user-${i}`);
    for (const user of users) await fetch(`${running.url}/api/v1/skills/tree`, { headers: { 'x-user-id': user } });
    const visitor = await fetch(`${running.url}/api/v1/skills/tree`);
    const visitorId = /bucketry_uid=([^;]+)/.exec(visitor.headers.getSetCookie().join('\n'))![1]!;
    await fetch(`${running.url}/api/v1/sessions`, { method: 'POST', headers: { 'x-user-id': users[0]! } });
    const healthBefore = await (await fetch(`${running.url}/api/healthz`)).json();
    // Full batches of 100 went out at once; the rest waits for the (long) interval, or SIGTERM.
    expect(healthBefore.exposures.queued).toBe(51);
    expect(healthBefore.exposures.inFlight + healthBefore.exposures.delivered).toBe(200);

    expect(await running.stop('SIGTERM')).toBe(0);
    expect(running.output()).toContain('SIGTERM: finishing requests and writing queued events');
    running = undefined;

    const lines = await readLines(path);
    const exposures = lines.filter((l) => l.event === 'experiment_exposure');
    expect(exposures).toHaveLength(251);
    const experiment = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 50 });
    for (const user of users) {
      const line = exposures.find((l) => l.userId === user);
      expect(line, user).toBeDefined();
      expect(line!.properties.variant).toBe(assignVariant(experiment, user).variant);
    }
    const anonymous = exposures.find((l) => l.anonymousId !== undefined)!;
    expect(anonymous.anonymousId).toBe(visitorId);
    expect(anonymous).not.toHaveProperty('userId');
    for (const line of exposures) {
      expect(line).toMatchObject({ type: 'track', properties: { experiment: 'skill_tree_layout', reason: 'bucketed', configVersion: experiment.version } });
      expect(Number.isInteger(line.properties.bucket)).toBe(true);
      expect(new Date(line.timestamp).toISOString()).toBe(line.timestamp);
      expect(line.messageId).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(new Set(lines.map((l) => l.messageId)).size).toBe(lines.length);
    expect(lines.filter((l) => l.event === 'session_started_from_tree')).toEqual([
      expect.objectContaining({ userId: users[0], properties: { experiment: 'skill_tree_layout', variant: assignVariant(experiment, users[0]!).variant } }),
    ]);
  });
});

describe('start-up with a bad configuration', () => {
  it.each(['ten', '150', '-1', '10%', ''])('stops for SKILL_TREE_LIST_ROLLOUT=%j with a message naming the variable', async (value) => {
    const { code, stdout, stderr } = await runExampleToExit({ SKILL_TREE_LIST_ROLLOUT: value, EXPOSURE_LOG: join(dir, 'never.jsonl') });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('skill-tree: not starting:');
    expect(stderr).toContain(`SKILL_TREE_LIST_ROLLOUT must be a percent from 0 to 100`);
    expect(stderr).toContain(`got ${JSON.stringify(value)}`);
    // A message, not a stack trace.
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('stops for a bad PORT or a short EVENTS_TOKEN, naming them', async () => {
    const port = await runExampleToExit({ PORT: 'http', SKILL_TREE_LIST_ROLLOUT: '10' });
    expect(port.code).toBe(1);
    expect(port.stderr).toContain('PORT must be a whole number from 0 to 65535, got "http"');
    const token = await runExampleToExit({ EVENTS_TOKEN: 'short', SKILL_TREE_LIST_ROLLOUT: '10' });
    expect(token.code).toBe(1);
    expect(token.stderr).toContain('EVENTS_TOKEN must be at least 16 characters');
    expect(token.stderr).not.toContain('short');
  });
});
