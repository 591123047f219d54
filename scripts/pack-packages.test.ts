import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packPackages, publishablePackages } from './pack-packages.mjs';
import { runGuide } from './docs/run-guide.mjs';

// The packages install into an app outside this repository, from packed tarballs, with npm and
// with pnpm, and the Express guide runs there as a reader would (install, server, requests): no
// workspace link, no pnpm.overrides. Needs the registry for express itself (CI has it).
const out = mkdtempSync(join(tmpdir(), 'bucketry-packed-'));
let tarballs: Map<string, string>;

beforeAll(() => {
  // `pnpm test` has built the packages already.
  tarballs = new Map(packPackages(out, { build: false, log: () => {} }).map(({ name, file }) => [name, file]));
}, 300_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('packed packages', () => {
  it('are every published package, dependencies first', () => {
    const names = publishablePackages().map((p) => p.manifest.name);
    expect([...tarballs.keys()]).toEqual(names);
    expect(names.indexOf('@bucketry/core')).toBeLessThan(names.indexOf('@bucketry/http'));
    expect(names.indexOf('@bucketry/http')).toBeLessThan(names.indexOf('@bucketry/express'));
    expect(names).not.toContain('@bucketry/stats');
  });

  it.each(['npm', 'pnpm'] as const)('run the Express guide in an app of its own, installed with %s', async (manager) => {
    await runGuide('docs/getting-started/express.md', { packed: { with: manager, tarballs } });
  }, 600_000);
});
