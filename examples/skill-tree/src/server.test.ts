import { assignVariant, defineExperiment } from '@bucketry/core';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { unitWithVariant } from '../../../test-support/units.js';
import { readJsonLines } from './test-support/json-lines.js';
import { useScratchDir } from './test-support/scratch-dir.js';
import { runExampleToExit, useExamples } from './test-support/start-example.js';

const TOKEN = 'runbook-token-0123456789';
const HEADER = 'x-experiment-skill-tree-layout';

/** The example's experiment at a rollout, as the server defines it. */
const layoutAt = (rollout: number) => defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout });
/** A user the engine puts on the layout at the rollout: the runbook's curl checks use such ids. */
const userWith = (rollout: number, variant: 'tree' | 'list') => unitWithVariant(layoutAt(rollout), variant);

const scratch = useScratchDir('skill-tree-');
const startExample = useExamples();

describe('the skill-tree example, started as `pnpm start` would', () => {

  it('serves tree and list with the header and cookie at SKILL_TREE_LIST_ROLLOUT=10', async () => {
    const running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '10', EXPOSURE_LOG: scratch('headers.jsonl') });
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
    const running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '50', EXPOSURE_LOG: scratch('status.jsonl'), EVENTS_TOKEN: TOKEN });
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
    const running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '10', EXPOSURE_LOG: scratch('off.jsonl') });
    const response = await fetch(`${running.url}/api/events`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(404);
  });

  it('gives everyone tree at SKILL_TREE_LIST_ROLLOUT=0 and rewrites a list cookie', async () => {
    const running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '0', EXPOSURE_LOG: scratch('kill.jsonl') });
    const response = await fetch(`${running.url}/api/v1/skills/tree`, {
      headers: { 'x-user-id': userWith(10, 'list'), cookie: 'exp_skill_tree_layout=list' },
    });
    expect(response.headers.get(HEADER)).toBe('tree');
    expect(response.headers.getSetCookie()[0]).toMatch(/^exp_skill_tree_layout=tree;/);
    expect(await (await fetch(`${running.url}/api/feature-flags/skill_tree_layout`)).text()).toBe('{"enabled":false,"percentage":0}');
  });

  it('writes every exposure and session to EXPOSURE_LOG on SIGTERM, as Segment track calls, and exits 0', async () => {
    const path = scratch('sigterm.jsonl');
    // A flush interval far longer than the test: everything is still queued when SIGTERM arrives.
    const running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '50', EXPOSURE_LOG: path, EXPOSURE_FLUSH_MS: '600000' });
    const users = Array.from({ length: 250 }, (_, i) => `sigterm-user-${i}`);
    // First, as recording an outcome writes the exposures queued before it (see the next test).
    await fetch(`${running.url}/api/v1/sessions`, { method: 'POST', headers: { 'x-user-id': users[0]! } });
    for (const user of users) await fetch(`${running.url}/api/v1/skills/tree`, { headers: { 'x-user-id': user } });
    const visitor = await fetch(`${running.url}/api/v1/skills/tree`);
    const visitorId = /bucketry_uid=([^;]+)/.exec(visitor.headers.getSetCookie().join('\n'))![1]!;
    const healthBefore = await (await fetch(`${running.url}/api/healthz`)).json();
    // Full batches of 100 went out at once; the rest waits for the (long) interval, or SIGTERM.
    expect(healthBefore.exposures.queued).toBe(51);
    expect(healthBefore.exposures.inFlight + healthBefore.exposures.delivered).toBe(200);

    expect(await running.stop('SIGTERM')).toBe(0);
    expect(running.output()).toContain('SIGTERM: finishing requests and writing queued events');

    const lines = await readJsonLines(path);
    const exposures = lines.filter((l) => l.event === 'experiment_exposure');
    expect(exposures).toHaveLength(251);
    const experiment = layoutAt(50);
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
      expect(line.messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/); // the exposure's eventId
    }
    expect(new Set(lines.map((l) => l.messageId)).size).toBe(lines.length);
    expect(lines.filter((l) => l.event === 'session_started_from_tree')).toEqual([
      expect.objectContaining({ userId: users[0], properties: { experiment: 'skill_tree_layout', variant: assignVariant(experiment, users[0]!).variant } }),
    ]);
  });
});

describe('the page’s telemetry: load times and render errors', () => {

  const post = (url: string, path: string, user: string, body: string, contentType = 'application/json') =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'x-user-id': user, 'content-type': contentType }, body });

  it('records skill_tree_loaded with its duration and skill_tree_error with its code, after the exposure, with the user’s variant', async () => {
    const path = scratch('telemetry.jsonl');
    const running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '10', EXPOSURE_LOG: path, EXPOSURE_FLUSH_MS: '600000' });
    const user = userWith(10, 'list');
    await fetch(`${running.url}/api/v1/skills/tree`, { headers: { 'x-user-id': user } });
    const loaded = await post(running.url, '/api/v1/skills/tree/loaded', user, '{"duration_ms":812.5}');
    expect(loaded.status).toBe(201);
    expect(await loaded.json()).toEqual({ recorded: 'skill_tree_loaded', variant: 'list' });
    const failed = await post(running.url, '/api/v1/skills/tree/errors', user, '{"code":"render_timeout"}');
    expect(failed.status).toBe(201);
    expect(await failed.json()).toEqual({ recorded: 'skill_tree_error', variant: 'list' });
    expect(await running.stop('SIGTERM')).toBe(0);

    // The exposure was still queued (a 10-minute flush interval): recording the outcome wrote it first.
    const lines = await readJsonLines(path);
    expect(lines.map((l) => l.event)).toEqual(['experiment_exposure', 'skill_tree_loaded', 'skill_tree_error']);
    expect(lines[1]).toMatchObject({ type: 'track', userId: user, properties: { experiment: 'skill_tree_layout', variant: 'list', duration_ms: 812.5 } });
    expect(lines[2]).toMatchObject({ type: 'track', userId: user, properties: { experiment: 'skill_tree_layout', variant: 'list', code: 'render_timeout' } });
  });

  it.each([
    ['/api/v1/skills/tree/loaded', '{"duration_ms":"fast"}', 'duration_ms must be a number of milliseconds from 0 to 600000, got "fast"'],
    ['/api/v1/skills/tree/loaded', '{"duration_ms":-5}', 'duration_ms must be a number of milliseconds from 0 to 600000, got -5'],
    ['/api/v1/skills/tree/loaded', '{}', 'duration_ms must be a number of milliseconds from 0 to 600000, got nothing'],
    ['/api/v1/skills/tree/errors', '{"code":"Render Timeout"}', 'code must be 1 to 64 characters of a-z, 0-9 and _, like render_timeout, got "Render Timeout"'],
    ['/api/v1/skills/tree/errors', '{"code":42}', 'code must be 1 to 64 characters of a-z, 0-9 and _, like render_timeout, got 42'],
  ])('refuses POST %s with %s: 400 naming the field, the value and the rule', async (path, body, message) => {
    const running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '10', EXPOSURE_LOG: scratch('refused.jsonl') });
    const response = await post(running.url, path, 'user-1', body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: message });
  });

  it('answers a body that is not JSON, or too large, with a JSON 400 or 413, and records nothing', async () => {
    const path = scratch('malformed.jsonl');
    const running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '10', EXPOSURE_LOG: path });
    const broken = await post(running.url, '/api/v1/skills/tree/loaded', 'user-1', '{"duration_ms":');
    expect(broken.status).toBe(400);
    expect((await broken.json()).error).toMatch(/^request body: /);
    const large = await post(running.url, '/api/v1/skills/tree/errors', 'user-1', JSON.stringify({ code: 'x'.repeat(2000) }));
    expect(large.status).toBe(413);
    expect((await large.json()).error).toMatch(/^request body: /);
    expect(await running.stop('SIGTERM')).toBe(0);
    // Made and checked at start-up, and nothing written since.
    expect(await readFile(path, 'utf8')).toBe('');
  });
});

describe('a pilot’s fraction: PILOT_ROLLOUT_PCT', () => {
  it('serves PILOT_ROLLOUT_PCT=0.10 exactly as SKILL_TREE_LIST_ROLLOUT=10', async () => {
    const running = await startExample({ PILOT_ROLLOUT_PCT: '0.10', EXPOSURE_LOG: scratch('pilot.jsonl') });
    expect(running.output()).toContain('PILOT_ROLLOUT_PCT=0.10, 10% list');
    expect(await (await fetch(`${running.url}/api/feature-flags/skill_tree_layout`)).text()).toBe('{"enabled":true,"percentage":10}');
    for (const variant of ['tree', 'list'] as const) {
      const response = await fetch(`${running.url}/api/v1/skills/tree`, { headers: { 'x-user-id': userWith(10, variant) } });
      expect(response.headers.get(HEADER)).toBe(variant);
    }
  });
});

describe('start-up with a bad configuration', () => {
  it('stops when SKILL_TREE_LIST_ROLLOUT is not set: a forgotten variable is not the kill switch', async () => {
    const { code, stdout, stderr } = await runExampleToExit({ EXPOSURE_LOG: scratch('never.jsonl') });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'skill-tree: not starting: SKILL_TREE_LIST_ROLLOUT must be set to the percent of users who get the list layout, from 0 (the kill switch) to 100, like 10 (or PILOT_ROLLOUT_PCT to a fraction, like 0.10), got neither\n',
    );
  });

  it('stops for PILOT_ROLLOUT_PCT=10, saying how to write 10%', async () => {
    const { code, stderr } = await runExampleToExit({ PILOT_ROLLOUT_PCT: '10', EXPOSURE_LOG: scratch('never.jsonl') });
    expect(code).toBe(1);
    expect(stderr).toContain('PILOT_ROLLOUT_PCT must be a fraction from 0 to 1 with at most 6 decimals, like 0.10 (for 10% write 0.1), got "10"');
  });

  it.each(['ten', '150', '-1', '10%', ''])('stops for SKILL_TREE_LIST_ROLLOUT=%j with a message naming the variable', async (value) => {
    const { code, stdout, stderr } = await runExampleToExit({ SKILL_TREE_LIST_ROLLOUT: value, EXPOSURE_LOG: scratch('never.jsonl') });
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
