import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BatchingSinkErrorInfo, ExposureEvent } from '@bucketry/core';
import { build } from 'esbuild';
import { describe, expect, it, vi } from 'vitest';
import { useSlowTestTimeouts } from '../../../test-support/slow-tests.js';
import { createFetchSink } from './fetch-sink.js';
import { collectorsClosedAfterEach, exposureEvent as event } from './test-support/fetch-sink-collector.js';

// Delivery to a real collector on 127.0.0.1 that fails as collectors do (issue #21): it hangs, it
// is down for seconds, it answers 429 or 503 with Retry-After. Before: a timed-out request was
// never aborted (57 sockets leaked in a minute), a batch was given up after about 0.3 s of
// downtime, and Retry-After was ignored.
// A real server, a child process and esbuild: the generous timeouts, as for every such file.
useSlowTestTimeouts();
const collector = collectorsClosedAfterEach();
const GENEROUS = 30_000;
const ids = (body: string): string[] => (JSON.parse(body) as ExposureEvent[]).map((e) => e.eventId);

describe('createFetchSink against a collector that hangs', () => {
  it('aborts each timed-out attempt, so no socket stays open once the batch is given up', async () => {
    const hung = await collector(['hang', 'hang', 'hang', 'hang', 'hang', 'hang', 'hang', 'hang']);
    const reports: BatchingSinkErrorInfo[] = [];
    const sink = createFetchSink({
      url: hung.url,
      timeoutMs: 200,
      retry: { attempts: 3, baseDelayMs: 10 },
      onError: (_error, info) => reports.push(info),
    });
    sink.write(event('a'));
    await sink.flush({ deadlineMs: GENEROUS });
    expect(hung.received).toHaveLength(3);
    expect(reports.at(-1)).toEqual({ kind: 'drop', events: 1, attempt: 3, reason: 'gave_up' });
    // Each aborted request's connection is closed by the client: the server sees it go. (fetch may
    // open a spare connection, which it closes once idle for its keep-alive time, about 4 s.)
    await vi.waitFor(() => expect(hung.pendingRequests()).toBe(0), { timeout: GENEROUS, interval: 20 });
    await vi.waitFor(() => expect(hung.openSockets()).toBe(0), { timeout: GENEROUS, interval: 20 });
  });

  it('aborts the request in flight when close() reaches its deadline, dropping and reporting its events', async () => {
    const hung = await collector(['hang']);
    const reports: BatchingSinkErrorInfo[] = [];
    const sink = createFetchSink({ url: hung.url, timeoutMs: 600_000, onError: (_error, info) => reports.push(info) });
    sink.write(event('a'));
    sink.write(event('b'));
    await vi.waitFor(() => expect(hung.received).toHaveLength(1), { timeout: GENEROUS });
    await sink.close({ deadlineMs: 300 });
    expect(reports).toEqual([{ kind: 'drop', events: 2, reason: 'deadline' }]);
    expect(sink.stats()).toMatchObject({ delivered: 0, dropped: 2, inFlight: 0, queued: 0 });
    await vi.waitFor(() => expect(hung.pendingRequests()).toBe(0), { timeout: GENEROUS, interval: 20 });
    await vi.waitFor(() => expect(hung.openSockets()).toBe(0), { timeout: GENEROUS, interval: 20 });
  });

  it('keeps the queue bounded while the collector hangs, counting and reporting every drop', async () => {
    const hung = await collector(['hang', 'hang']);
    const reports: BatchingSinkErrorInfo[] = [];
    const sink = createFetchSink({ url: hung.url, maxBatchSize: 2, maxQueueSize: 4, timeoutMs: 600_000, onError: (_e, info) => reports.push(info) });
    for (let n = 0; n < 10; n++) sink.write(event(`u${n}`));
    await vi.waitFor(() => expect(reports).toEqual([{ kind: 'drop', events: 6, reason: 'queue_full' }]), { timeout: GENEROUS });
    await sink.close({ deadlineMs: 0 });
    expect(sink.stats()).toMatchObject({ delivered: 0, dropped: 10 });
    await vi.waitFor(() => expect(hung.pendingRequests()).toBe(0), { timeout: GENEROUS, interval: 20 });
  });

  it('lets a Node process exit on its own once close() has settled (a hung request kept it running)', async () => {
    const hung = await collector(['hang']);
    const dir = mkdtempSync(join(tmpdir(), 'bucketry-fetch-sink-'));
    let child: ChildProcessWithoutNullStreams | undefined;
    try {
      await build({ entryPoints: [fileURLToPath(new URL('./fetch-sink.ts', import.meta.url))], outfile: join(dir, 'fetch-sink.mjs'), bundle: true, platform: 'node', format: 'esm', logLevel: 'silent' });
      writeFileSync(
        join(dir, 'child.mjs'),
        `import { createFetchSink } from './fetch-sink.mjs';
const sink = createFetchSink({ url: process.argv[2], maxBatchSize: 1, timeoutMs: 600000, onError: () => {} });
sink.write({ event: 'experiment_exposure', experiment: 'e', variant: 'v', unit: 'u', reason: 'bucketed', bucket: 1, timestamp: new Date().toISOString(), configVersion: 'c', eventId: 'id-1' });
// Closed once the test has seen the request arrive; stdin is then let go, so only the sink could keep the process up.
process.stdin.once('data', async () => {
  process.stdin.destroy();
  await sink.close({ deadlineMs: 300 });
  console.log(JSON.stringify(sink.stats()));
});
`,
      );
      const running = (child = spawn(process.execPath, [join(dir, 'child.mjs'), hung.url], { cwd: dir }));
      let stdout = '';
      running.stdout.on('data', (chunk) => (stdout += chunk));
      const exited = new Promise<number | null>((resolve) => running.on('exit', resolve));
      await vi.waitFor(() => expect(hung.received).toHaveLength(1), { timeout: GENEROUS });
      running.stdin.write('close\n');
      const code = await exited;
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ delivered: 0, dropped: 1 });
    } finally {
      child?.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('createFetchSink retries', () => {
  it('rides out seconds of collector downtime with its defaults (it gave up after 3 attempts in about 0.3 s)', async () => {
    const flaky = await collector([500, 503, 502, 500, 504]);
    // random 1: the longest backoffs, 0.1 + 0.2 + 0.4 + 0.8 + 1.6 = 3.1 s of downtime ridden out.
    const sink = createFetchSink({ url: flaky.url, random: () => 1, onError: () => {} });
    sink.write(event('a'));
    await sink.flush({ deadlineMs: GENEROUS });
    expect(flaky.received).toHaveLength(6);
    expect(sink.stats()).toMatchObject({ delivered: 1, dropped: 0, failedAttempts: 5 });
  });

  it('re-sends the same events, with the same eventIds, on a retry', async () => {
    const flaky = await collector([500]);
    const sink = createFetchSink({ url: flaky.url, random: () => 0, onError: () => {} });
    for (const unit of ['a', 'b']) sink.write(event(unit));
    await sink.flush({ deadlineMs: GENEROUS });
    expect(flaky.received).toHaveLength(2);
    expect(flaky.received[1]!.body).toBe(flaky.received[0]!.body);
    expect(ids(flaky.received[0]!.body)).toHaveLength(2);
    expect(new Set(ids(flaky.received[0]!.body)).size).toBe(2);
  });

  it.each([
    [429, '1'],
    [503, '1'],
    [429, 'http-date'],
  ])('waits as a %d with Retry-After %s asks before the retry', async (status, retryAfter) => {
    // An HTTP-date has whole seconds: 3 s ahead is more than 2 s from now, so still more than 1 s
    // when the first attempt's answer is read, on a busy machine too (2 s ahead left as little as 1 s).
    const header = retryAfter === 'http-date' ? new Date(Date.now() + 3_000).toUTCString() : retryAfter;
    const busy = await collector([{ status, headers: { 'retry-after': header } }]);
    const failures: string[] = [];
    const sink = createFetchSink({ url: busy.url, random: () => 0, onError: (error) => failures.push(String(error)) });
    sink.write(event('a'));
    await sink.flush({ deadlineMs: GENEROUS });
    expect(busy.received).toHaveLength(2);
    // Without Retry-After, a random() of 0 retries at once. (Less 10 ms: timers and clocks round.)
    expect(busy.received[1]!.at - busy.received[0]!.at).toBeGreaterThanOrEqual(990);
    expect(failures[0]).toMatch(new RegExp(`^Error: exposure collector .* answered ${status}, Retry-After \\d+ ms$`));
    expect(sink.stats()).toMatchObject({ delivered: 1, failedAttempts: 1 });
  });

  it('gives the batch up at once when Retry-After asks for longer than the retry budget, reporting it', async () => {
    const busy = await collector([{ status: 429, headers: { 'retry-after': '3600' } }]);
    const reports: [string, BatchingSinkErrorInfo][] = [];
    const sink = createFetchSink({ url: busy.url, retry: { budgetMs: 60_000 }, onError: (error, info) => reports.push([String(error), info]) });
    sink.write(event('a'));
    await sink.flush({ deadlineMs: GENEROUS });
    expect(busy.received).toHaveLength(1);
    expect(reports.map(([, info]) => info)).toEqual([
      { kind: 'delivery', events: 1, attempt: 1 },
      { kind: 'drop', events: 1, attempt: 1, reason: 'gave_up' },
    ]);
    expect(reports[0]![0]).toBe(`Error: exposure collector ${busy.url} answered 429, Retry-After 3600000 ms`);
  });

  it.each([400, 401, 403, 404, 413, 422])('gives a batch answered %d up at once (sent again, it would be refused again), and delivers the next', async (status) => {
    const refusing = await collector([status]);
    const reports: [string, BatchingSinkErrorInfo][] = [];
    const sink = createFetchSink({ url: refusing.url, maxBatchSize: 1, random: () => 0, onError: (error, info) => reports.push([String(error), info]) });
    sink.write(event('a'));
    sink.write(event('b'));
    await sink.flush({ deadlineMs: GENEROUS });
    // One request for each batch: 'a' once, never again.
    expect(refusing.received.map((r) => (JSON.parse(r.body) as ExposureEvent[]).map((e) => e.unit))).toEqual([['a'], ['b']]);
    const failure = `Error: exposure collector ${refusing.url} answered ${status} (not retried)`;
    expect(reports).toEqual([
      [failure, { kind: 'delivery', events: 1, attempt: 1 }],
      [failure, { kind: 'drop', events: 1, attempt: 1, reason: 'gave_up' }],
    ]);
    expect(sink.stats()).toMatchObject({ delivered: 1, dropped: 1, failedAttempts: 1 });
  });

  it.each([408, 429])('retries a batch answered %d (a timeout, or too many requests: not the request at fault)', async (status) => {
    const busy = await collector([status]);
    const sink = createFetchSink({ url: busy.url, random: () => 0, onError: () => {} });
    sink.write(event('a'));
    await sink.flush({ deadlineMs: GENEROUS });
    expect(busy.received).toHaveLength(2);
    expect(sink.stats()).toMatchObject({ delivered: 1, dropped: 0, failedAttempts: 1 });
  });

  it('reads Retry-After on 429 and 503 only: a 500 with one is retried on the backoff', async () => {
    const broken = await collector([{ status: 500, headers: { 'retry-after': '3600' } }]);
    const sink = createFetchSink({ url: broken.url, random: () => 0, retry: { budgetMs: 60_000 }, onError: () => {} });
    sink.write(event('a'));
    await sink.flush({ deadlineMs: GENEROUS });
    expect(broken.received).toHaveLength(2);
    expect(sink.stats()).toMatchObject({ delivered: 1, dropped: 0 });
  });
});
