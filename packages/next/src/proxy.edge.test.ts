import { assignVariant } from '@bucketry/core';
import { NextResponse } from 'next/server.js';
import next15 from 'next15/package.json';
import { NextResponse as Next15Response } from 'next15/server.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cookieValue, setCookies } from '../../../test-support/cookie-jar.js';
import { unitWithVariant } from '../../../test-support/units.js';
import { createNextExperiments } from './next-experiments.js';
import { forwardedHeaders, nextRequest, recordingEvent, recordingFetchSink } from './test-support/next-http.js';
import { skillTreeAt, skillTreeProxy, TEST_SECRET } from './test-support/skill-tree.js';

// The next-edge project runs this file under Vitest's edge-runtime environment, with next/server
// from Next.js 15 (whose middleware runs on the Edge runtime) and a resolver that fails on any
// Node built-in imported by @bucketry/next, http or core. Vitest's edge environment still
// defines Buffer; it is taken away here, as the Edge runtime has none.
beforeEach(() => {
  vi.stubGlobal('Buffer', undefined);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const skillTree = skillTreeAt(50);

describe('the proxy on the Edge runtime with Next.js 15', () => {
  it('really is the Edge runtime and Next.js 15', () => {
    expect(typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime).toBe('string');
    expect(typeof (globalThis as { Buffer?: unknown }).Buffer).toBe('undefined');
    expect(next15.version).toMatch(/^15\./);
    expect(NextResponse).toBe(Next15Response);
  });

  it('assigns a new visitor, forwards the variant to the page, and keeps it on the next visit', () => {
    const { bucketry, sink } = skillTreeProxy(skillTree);
    const first = bucketry.proxy(nextRequest('/skills'));
    expect(first).toBeInstanceOf(Next15Response);
    const variant = first.headers.get('x-experiment-skill-tree-layout')!;
    const cookies = setCookies(first);
    const id = cookieValue(cookies.get('bucketry_uid'))!;
    expect(cookieValue(cookies.get('exp_skill_tree_layout'))).toBe(variant);
    expect(bucketry.fromHeaders(forwardedHeaders(first)).assignment('skill_tree_layout')).toMatchObject({ variant, unit: id });
    expect(nextRequest('/skills', { headers: forwardedHeaders(first) }).cookies.get('bucketry_uid')?.value).toBe(id);

    const second = bucketry.proxy(nextRequest('/skills', { headers: { cookie: `bucketry_uid=${id}; exp_skill_tree_layout=${variant}` } }));
    expect(second.headers.get('x-experiment-skill-tree-layout')).toBe(variant);
    expect(second.headers.getSetCookie()).toEqual([]);
    expect(sink.events).toEqual([expect.objectContaining({ unit: id, variant })]);
  });

  it('reads a non-ASCII X-User-Id as UTF-8 and signs and checks the forwarded header, with no Buffer and no node:crypto', () => {
    const { bucketry, sink, errors } = skillTreeProxy(skillTree);
    for (const user of ['Dvořák', '用户-42', 'Ånne 🧪']) {
      // The header as the Edge runtime hands it over: its UTF-8 bytes, one character each.
      const received = String.fromCharCode(...new TextEncoder().encode(user));
      const response = bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': received } }));
      const page = bucketry.fromHeaders(forwardedHeaders(response)).assignment('skill_tree_layout');
      expect([page.unit, page.variant, response.headers.get('x-experiment-skill-tree-layout')]).toEqual([user, assignVariant(skillTree, user).variant, page.variant]);
    }
    expect(sink.events.map((e) => e.unit)).toEqual(['Dvořák', '用户-42', 'Ånne 🧪']);
    expect(bucketry.fromHeaders(new Headers({ 'x-bucketry-assignments': `${'A'.repeat(43)}=.%5B%5D` })).variant('skill_tree_layout')).toBe('tree');
    const refused = "Error: x-bucketry-assignments refused: not signed by this app's proxy; showing control";
    expect(errors.map((e) => [e.context, String(e.error)])).toEqual([
      [{ source: 'forwarded' }, refused],
      [{ source: 'forwarded', experiment: 'skill_tree_layout' }, refused],
    ]);
  });

  it('lets the kill switch beat a list cookie', () => {
    const { bucketry } = skillTreeProxy(skillTreeAt(0));
    const response = bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': 'user-1', cookie: 'exp_skill_tree_layout=list' } }));
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('tree');
    expect(cookieValue(setCookies(response).get('exp_skill_tree_layout'))).toBe('tree');
  });

  it('with a sticky store that needs no Node built-in (one over fetch, say), loads the unit’s records before assigning', async () => {
    const user = unitWithVariant(skillTree, 'list');
    const loads: (readonly string[])[] = [];
    const records = new Map<string, string>();
    const sticky = {
      load: async (units: readonly string[]) => {
        loads.push(units);
        const answered: Record<string, string> = await Promise.resolve({ [user]: 'tree' }); // what a fetch would answer
        for (const unit of units) if (answered[unit]) records.set(unit, answered[unit]);
      },
      get: (unit: string) => records.get(unit),
      set: (unit: string, _experiment: string, variant: string) => void records.set(unit, variant),
    };
    const bucketry = createNextExperiments({ secret: TEST_SECRET, experiments: [skillTree], sticky, user: (request) => request.headers.get('x-user-id') });
    const response = await bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': user } }));
    expect(response).toBeInstanceOf(Next15Response);
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('tree');
    expect(loads).toEqual([[user]]);
  });

  it('delivers exposures with the fetch sink through waitUntil', async () => {
    const { sink, posted } = recordingFetchSink();
    const { bucketry, errors } = skillTreeProxy(skillTree, { sink });
    const user = unitWithVariant(skillTree, 'list');
    const event = recordingEvent();
    bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': user } }), event);
    await Promise.all(event.promises);
    expect(posted).toEqual([expect.objectContaining({ unit: user, variant: 'list' })]);
    expect(errors).toEqual([]);
  });
});
