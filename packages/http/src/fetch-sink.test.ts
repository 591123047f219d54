import type { ExposureEvent } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { createFetchSink } from './fetch-sink.js';
import { collectorsClosedAfterEach, exposureEvent as event } from './test-support/fetch-sink-collector.js';

const collector = collectorsClosedAfterEach();

describe('createFetchSink', () => {
  it('POSTs each batch as a JSON array, with its headers', async () => {
    const { url, received } = await collector();
    const sink = createFetchSink({ url, headers: { authorization: 'Bearer t0ken' }, maxBatchSize: 2 });
    for (const unit of ['a', 'b', 'c']) sink.write(event(unit));
    await sink.flush();
    expect(received.map((r) => r.method)).toEqual(['POST', 'POST']);
    expect(received.map((r) => (JSON.parse(r.body) as ExposureEvent[]).map((e) => e.unit))).toEqual([['a', 'b'], ['c']]);
    expect(received[0]!.headers).toMatchObject({ 'content-type': 'application/json', authorization: 'Bearer t0ken' });
    expect(sink.stats()).toMatchObject({ delivered: 3, dropped: 0, failedAttempts: 0 });
  });

  it('counts an answer other than 2xx as a failed attempt and retries it', async () => {
    const { url, received } = await collector([503, 500]);
    const failures: unknown[] = [];
    const sink = createFetchSink({ url, retry: { attempts: 3, baseDelayMs: 0 }, onError: (error) => failures.push(String(error)) });
    sink.write(event('a'));
    await sink.flush();
    expect(received).toHaveLength(3);
    expect(failures).toEqual([`Error: exposure collector ${url} answered 503`, `Error: exposure collector ${url} answered 500`]);
    expect(sink.stats()).toMatchObject({ delivered: 1, failedAttempts: 2 });
  });

  it('gives up after the last attempt, counting the batch as dropped', async () => {
    const { url } = await collector([500, 500]);
    const sink = createFetchSink({ url, retry: { attempts: 2, baseDelayMs: 0 }, onError: () => {} });
    sink.write(event('a'));
    await sink.flush();
    expect(sink.stats()).toMatchObject({ delivered: 0, dropped: 1 });
  });

  it('uses the given body and fetch', async () => {
    const calls: [string, RequestInit][] = [];
    const sink = createFetchSink({
      url: 'https://collector.example.com/v1/batch',
      body: (events) => JSON.stringify({ batch: events.map((e) => ({ type: 'track', userId: e.unit })) }),
      fetch: async (input, init) => (calls.push([String(input), init!]), new Response(null, { status: 200 })),
    });
    sink.write(event('u1'));
    await sink.flush();
    expect(calls.map(([target, init]) => [target, init.method, init.body])).toEqual([
      ['https://collector.example.com/v1/batch', 'POST', '{"batch":[{"type":"track","userId":"u1"}]}'],
    ]);
  });

  it('never throws from write, even when fetch does', async () => {
    const sink = createFetchSink({
      url: 'https://collector.example.com/',
      retry: { attempts: 1 },
      onError: () => {},
      fetch: () => {
        throw new Error('no network');
      },
    });
    expect(() => sink.write(event('a'))).not.toThrow();
    await sink.flush();
    expect(sink.stats().dropped).toBe(1);
  });

  it.each([
    [{ url: '/exposures' }, 'url must be an absolute http:// or https:// URL, got "/exposures"'],
    [{ url: 'ftp://collector.example.com/' }, 'url must be an absolute http:// or https:// URL'],
    [{ url: 'https://c.example.com/', headers: { 'bad header': 'x' } }, 'headers must map header names to values'],
    [{ url: 'https://c.example.com/', body: 'json' }, 'body must be a function, got "json"'],
    [{ url: 'https://c.example.com/', fetch: {} }, 'fetch must be a function, got an object'],
    [{ url: 'https://c.example.com/', maxBatchSize: 0 }, 'maxBatchSize must be a whole number >= 1'],
    [undefined, 'options must be an object with a url'],
  ])('rejects %j, naming the option', (options, message) => {
    expect(() => createFetchSink(options as never)).toThrow(message);
  });
});
