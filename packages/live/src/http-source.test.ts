import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpSource } from './http-source.js';
import type { SourceOptions } from './source-options.js';
import { rolloutOf, sourcesClosedAfterEach } from './test-support/live-client.js';
import { waitFor } from './test-support/services.js';

// A config server on 127.0.0.1: it serves `body` with an ETag, answers 304 to a matching
// If-None-Match, or answers `status` when set; it counts what it answered.
let body = '';
let status: number | undefined;
const answered: number[] = [];
const server: Server = createServer((request, response) => {
  const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
  const code = status ?? (request.headers['if-none-match'] === etag ? 304 : 200);
  answered.push(code);
  if (code !== 200) return void response.writeHead(code).end();
  response.writeHead(200, { 'content-type': 'application/json', etag }).end(body);
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rollouts.json`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));
const startSource = sourcesClosedAfterEach();
afterEach(() => {
  status = undefined;
  answered.length = 0;
});
const startHttpSource = (options: Partial<SourceOptions>) => startSource((bucketry, all) => createHttpSource(bucketry, { url, ...all }), options);

const snapshot = (rollout: number, version: number) =>
  JSON.stringify({ rollouts: { skill_tree_layout: { rollout, enabled: true, version, updatedAt: '2026-11-02T09:30:00.000Z', actor: 'ana', phase: null, reason: null } } });

describe('HTTP source', () => {
  it('polls with If-None-Match: an unchanged snapshot is a 304, a new one is delivered', async () => {
    body = snapshot(10, 1);
    const { bucketry, errors } = await startHttpSource({ pollInterval: 50 });
    expect(rolloutOf(bucketry)).toBe(10);
    expect(bucketry.status()).toMatchObject({ source: 'http', stale: false });
    await waitFor('three 304s', () => answered.filter((code) => code === 304).length >= 3);
    expect(answered[0]).toBe(200);
    const changes: string[] = [];
    bucketry.onChange((s) => changes.push(s.version));
    expect(changes).toEqual([]); // a 304 changes nothing

    body = snapshot(50, 2);
    await waitFor('the 50% snapshot', () => rolloutOf(bucketry) === 50);
    expect(changes).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('keeps the last good set through a 503 and an invalid body, stale with the reason, and recovers', async () => {
    body = snapshot(10, 1);
    const { bucketry, errors } = await startHttpSource({ pollInterval: 50, retryDelay: 20, maxRetryDelay: 100 });

    status = 503;
    await waitFor('the stale mark', () => bucketry.status().stale);
    expect(bucketry.status().staleReason).toContain(`http could not be read (${url} answered 503 Service Unavailable)`);
    expect(rolloutOf(bucketry)).toBe(10);
    expect(bucketry.assign('skill_tree_layout', 'user-1').variant).toMatch(/^(tree|list)$/); // assignments go on

    status = undefined; // back: the same ETag gives a 304, which clears the stale mark
    await waitFor('recovery by 304', () => !bucketry.status().stale);

    body = '{"rollouts": {"skill_tree_layout": 42}}';
    await waitFor('the invalid body', () => bucketry.status().stale);
    expect(bucketry.status().staleReason).toContain('http sent an invalid set (rollouts.skill_tree_layout must be a rollout record object, got 42)');
    expect(errors.some(({ stage }) => stage === 'invalid')).toBe(true);
    // Its ETag was not kept: the next polls fetch it again (no 304 that would clear the stale mark).
    const before = answered.length;
    await waitFor('more polls', () => answered.length >= before + 3);
    expect(answered.slice(before)).not.toContain(304);
    expect(bucketry.status().stale).toBe(true);
    expect(rolloutOf(bucketry)).toBe(10);

    body = snapshot(20, 3);
    await waitFor('the repaired snapshot', () => rolloutOf(bucketry) === 20 && !bucketry.status().stale);
  });

  it.each([401, 403])('stops polling on %i with an error saying why', async (code) => {
    body = snapshot(10, 1);
    const { bucketry, errors, source } = await startHttpSource({ pollInterval: 20 });
    status = code;
    await waitFor('the refusal', () => errors.length > 0);
    expect(String(errors[0]!.error)).toContain(`answered ${code}`);
    expect(String(errors[0]!.error)).toContain('the credentials are refused, so polling has stopped');
    expect(bucketry.status().stale).toBe(true);
    const count = answered.length;
    expect(await source.refresh()).toBe(false); // stopped: no request made
    expect(answered.length).toBe(count);
    expect(answered.filter((c) => c === code)).toHaveLength(1);
    expect(rolloutOf(bucketry)).toBe(10);
  });
});
