import { request as httpRequest } from 'node:http';
import { assignVariant } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { asHeaderBytes, nonAsciiIds } from '../../../test-support/non-ascii-ids.js';
import { EXPRESS_VERSIONS } from './test-support/express-versions.js';
import { skillTreeAt, testServers } from './test-support/skill-tree-app.js';

// The bytes on the wire are what a browser, fetch or a proxy sends for a non-ASCII header: its
// UTF-8. node:http writes a header string one byte per character, so the UTF-8 bytes go as a
// string of those bytes; the server reads them back the same way, and headerText decodes them.
const skillTree = skillTreeAt(50);

/** GET the tree with X-User-Id sent as `header` (one byte per character); the answer's layout header. */
function layoutFor(url: string, header: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}/api/v1/skills/tree`, { headers: { 'x-user-id': header }, agent: false });
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(response.headers['x-experiment-skill-tree-layout'] as string | undefined));
    });
    request.on('error', reject);
    request.end();
  });
}

describe.each(EXPRESS_VERSIONS)('a non-ASCII X-User-Id sent as UTF-8 bytes, on $name', ({ createApp }) => {
  const { serve } = testServers(createApp);

  it('2,000 random ids: each gets assignVariant’s variant for the real string, and its exposure carries that string', { timeout: 120_000 }, async () => {
    const server = await serve(skillTree);
    const ids = nonAsciiIds(2_000);
    const mismatches: string[] = [];
    // Eight at a time: a real server, without a queue of 2,000 sockets.
    for (let i = 0; i < ids.length; i += 8) {
      await Promise.all(
        ids.slice(i, i + 8).map(async (id) => {
          if ((await layoutFor(server.url, asHeaderBytes(id))) !== assignVariant(skillTree, id).variant) mismatches.push(id);
        }),
      );
    }
    expect(mismatches).toEqual([]);
    expect(server.errors).toEqual([]);
    const exposed = new Set(ids.filter((id) => assignVariant(skillTree, id).inExperiment));
    expect(exposed.size).toBeGreaterThan(0);
    expect(new Set(server.sink.events.map((e) => e.unit))).toEqual(exposed);
    expect(server.sink.events).toHaveLength(exposed.size);
  });

  it('bytes that are not UTF-8 (a Latin-1 client) give control, reported, and no exposure', async () => {
    const server = await serve(skillTree);
    const latin1 = await layoutFor(server.url, 'zo\u00eb');
    expect(latin1).toBe('tree');
    expect(server.sink.events).toEqual([]);
    expect(server.errors.map((e) => [e.context.source, String(e.error)])).toEqual([
      ['unit', 'TypeError: X-User-Id must be UTF-8 text, got "zoë" (its bytes read one character each: not valid UTF-8)'],
    ]);
  });
});
