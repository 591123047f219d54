import type { ExposureEvent } from '@bucketry/core';
import { NextResponse } from 'next/server.js';
import { describe, expect, it } from 'vitest';
import { unitWithVariant } from '../../../test-support/units.js';
import { nextRequest, recordingEvent, recordingFetchSink } from './test-support/next-http.js';
import { skillTreeAt, skillTreeProxy } from './test-support/skill-tree.js';

const skillTree = skillTreeAt(50);
const listUser = unitWithVariant(skillTree, 'list');
const signedIn = (user: string, headers: Record<string, string> = {}) => nextRequest('/skills', { headers: { 'x-user-id': user, ...headers } });

/** Whether a promise is still pending after everything already queued has run. */
async function isPending(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  const result = await Promise.race([promise, new Promise((resolve) => setTimeout(resolve, 20, marker))]);
  return result === marker;
}

describe('exposures from the proxy', () => {
  it('writes one exposure per unit and variant, however many requests', () => {
    const { bucketry, sink } = skillTreeProxy(skillTree);
    for (let i = 0; i < 3; i++) bucketry.proxy(signedIn(listUser));
    expect(sink.events).toEqual([expect.objectContaining({ experiment: 'skill_tree_layout', variant: 'list', unit: listUser, reason: 'bucketed', configVersion: skillTree.version })]);
  });

  it('exposes nobody outside the experiment, and then asks nothing of waitUntil', () => {
    const { bucketry, sink } = skillTreeProxy(skillTreeAt(0));
    const event = recordingEvent();
    bucketry.proxy(signedIn(listUser), event);
    expect(sink.events).toEqual([]);
    expect(event.promises).toEqual([]);
  });

  it('answers at once while a sink write never settles, and hands the pending delivery to waitUntil', async () => {
    const written: ExposureEvent[] = [];
    const { bucketry, errors } = skillTreeProxy(skillTree, { sink: { write: (e) => (written.push(e), new Promise<void>(() => {})) } });
    const event = recordingEvent();
    const response = bucketry.proxy(signedIn(listUser), event);
    expect(response).toBeInstanceOf(NextResponse);
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('list');
    expect(written).toHaveLength(1);
    expect(event.promises).toHaveLength(1);
    expect(await isPending(event.promises[0]!)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('keeps the invocation alive until a promise-returning sink has written', async () => {
    let finish!: () => void;
    const { bucketry } = skillTreeProxy(skillTree, { sink: { write: () => new Promise<void>((resolve) => (finish = resolve)) } });
    const event = recordingEvent();
    bucketry.proxy(signedIn(listUser), event);
    expect(await isPending(event.promises[0]!)).toBe(true);
    finish();
    expect(await isPending(event.promises[0]!)).toBe(false);
  });

  it('delivers a batching fetch sink’s events through waitUntil, without waiting for its timer', async () => {
    const { sink, posted } = recordingFetchSink();
    const { bucketry } = skillTreeProxy(skillTree, { sink });
    const event = recordingEvent();
    bucketry.proxy(signedIn(listUser), event);
    expect(posted).toEqual([]);
    await Promise.all(event.promises);
    expect(posted).toEqual([expect.objectContaining({ unit: listUser, variant: 'list' })]);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('collector down');
      },
    ],
    ['rejects', () => Promise.reject(new Error('collector down'))],
  ])('never fails the request when the sink %s: the variant is served and the error reported', async (_how, write) => {
    const { bucketry, errors } = skillTreeProxy(skillTree, { sink: { write } });
    const event = recordingEvent();
    const response = bucketry.proxy(signedIn(listUser), event);
    expect(response.headers.get('x-middleware-next')).toBe('1');
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('list');
    await Promise.all(event.promises);
    expect(errors.map((e) => [String(e.error), e.context.source])).toEqual([['Error: collector down', 'sink']]);
  });

  it('reports a flush that fails, and still settles what it gave waitUntil', async () => {
    const { bucketry, errors } = skillTreeProxy(skillTree, { sink: { write() {}, flush: () => Promise.reject(new Error('flush failed')) } });
    const event = recordingEvent();
    bucketry.proxy(signedIn(listUser), event);
    await expect(event.promises[0]).resolves.toBeUndefined();
    expect(errors.map((e) => [String(e.error), e.context.source])).toEqual([['Error: flush failed', 'sink']]);
  });

  it('survives a waitUntil that throws', () => {
    const { bucketry, errors } = skillTreeProxy(skillTree);
    const failure = new Error('no waitUntil here');
    const response = bucketry.proxy(signedIn(listUser), {
      waitUntil: () => {
        throw failure;
      },
    });
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('list');
    expect(errors).toEqual([{ error: failure, context: { source: 'middleware' } }]);
  });

  it.each<Record<string, string>>([{ 'sec-purpose': 'prefetch' }, { 'sec-purpose': 'prefetch;prerender' }, { purpose: 'prefetch' }])(
    'assigns a browser prefetch (%j) but leaves the exposure to the visit',
    (prefetch: Record<string, string>) => {
      const { bucketry, sink } = skillTreeProxy(skillTree);
      const response = bucketry.proxy(signedIn(listUser, prefetch));
      expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('list');
      expect(sink.events).toEqual([]);
      bucketry.proxy(signedIn(listUser));
      expect(sink.events).toHaveLength(1);
    },
  );

  it('exposes nothing with expose: false, for apps that expose from the page', () => {
    const { bucketry, sink } = skillTreeProxy(skillTree, { expose: false });
    const event = recordingEvent();
    expect(bucketry.proxy(signedIn(listUser), event).headers.get('x-experiment-skill-tree-layout')).toBe('list');
    expect([sink.events, event.promises]).toEqual([[], []]);
  });

  it('delivers what is queued on close', async () => {
    const { sink, posted } = recordingFetchSink();
    const { bucketry } = skillTreeProxy(skillTree, { sink });
    bucketry.proxy(signedIn(listUser));
    await bucketry.close();
    expect(posted).toHaveLength(1);
  });
});
