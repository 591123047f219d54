import { assignVariant } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { asHeaderBytes, nonAsciiIds } from '../../../test-support/non-ascii-ids.js';
import { forwardedHeaders, nextRequest } from './test-support/next-http.js';
import { skillTreeAt, skillTreeProxy } from './test-support/skill-tree.js';

// A non-ASCII X-User-Id arrives as its UTF-8 bytes, one character each (Next's Node server and
// fetch's Headers alike); read through headerText, as the example app and the README do, the unit
// is the string the client sent. (examples/next-app/e2e sends the raw bytes to a real server.)
const skillTree = skillTreeAt(50);

describe('a non-ASCII X-User-Id, through the proxy and the page', () => {
  it('2,000 random ids: each gets assignVariant’s variant for the real string, and the exposure and the page carry that string', () => {
    const { bucketry, sink, errors } = skillTreeProxy(skillTree);
    const mismatches: string[] = [];
    for (const id of nonAsciiIds(2_000)) {
      const response = bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': asHeaderBytes(id) } }));
      const expected = assignVariant(skillTree, id);
      const page = bucketry.fromHeaders(forwardedHeaders(response)).assignment('skill_tree_layout');
      if (response.headers.get('x-experiment-skill-tree-layout') !== expected.variant || page.variant !== expected.variant || page.unit !== id) mismatches.push(id);
    }
    expect(mismatches).toEqual([]);
    expect(errors).toEqual([]);
    const exposed = nonAsciiIds(2_000).filter((id) => assignVariant(skillTree, id).inExperiment);
    expect(exposed.length).toBeGreaterThan(0);
    expect(sink.events.map((e) => e.unit)).toEqual(exposed);
  });

  it('a header that is not UTF-8 (a Latin-1 client) gives control and is reported, never a mangled unit', () => {
    const { bucketry, sink, errors } = skillTreeProxy(skillTree);
    const response = bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': 'zo\u00eb' } }));
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('tree');
    expect(bucketry.fromHeaders(forwardedHeaders(response)).assignment('skill_tree_layout')).toMatchObject({ variant: 'tree', reason: 'error' });
    expect(sink.events).toEqual([]);
    expect(errors.map((e) => [e.context.source, String(e.error)])).toEqual([
      ['unit', 'TypeError: X-User-Id must be UTF-8 text, got "zoë" (its bytes read one character each: not valid UTF-8)'],
    ]);
  });
});
