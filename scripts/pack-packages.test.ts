import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packPackages, publishablePackages } from './pack-packages.mjs';
import { runGuide } from './docs/run-guide.mjs';

// The packages install into an app outside this repository, from packed tarballs, and the
// getting-started guides run there as a reader would (install, server, requests): no workspace
// link, no pnpm.overrides; each with npm and with pnpm. The Next.js guide builds its app with
// `next build` (one to two minutes each). Needs the registry for the frameworks themselves (CI
// has it).
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

  it("point each dependency on a sibling at the sibling's tarball, not at a registry version", () => {
    const packedManifest = (file: string) => JSON.parse(execFileSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' }));
    const siblings = [...tarballs].flatMap(([name, file]) => {
      const { dependencies = {}, optionalDependencies = {} } = packedManifest(file);
      return Object.entries<string>({ ...dependencies, ...optionalDependencies })
        .filter(([dependency]) => dependency.startsWith('@bucketry/'))
        .map(([dependency, version]) => ({ name, dependency, version }));
    });
    expect(siblings).toContainEqual({ name: '@bucketry/express', dependency: '@bucketry/http', version: `file:${tarballs.get('@bucketry/http')}` });
    for (const { name, dependency, version } of siblings) expect(version, `${name} on ${dependency}`).toBe(`file:${tarballs.get(dependency)}`);
  });

  it.each(['npm', 'pnpm'] as const)('run the Express guide in an app of its own, installed with %s', async (manager) => {
    await runGuide('docs/getting-started/express.md', { packed: { with: manager, tarballs } });
  }, 600_000);

  it.each(['npm', 'pnpm'] as const)('run the React guide in an app of its own, installed with %s', async (manager) => {
    await runGuide('docs/getting-started/react.md', { packed: { with: manager, tarballs } });
  }, 600_000);

  it.each(['npm', 'pnpm'] as const)('run the Next.js guide in an app of its own, installed with %s: next build, next start, the variant in the header, the cookie and the HTML', async (manager) => {
    const starts = await runGuide('docs/getting-started/next.md', { packed: { with: manager, tarballs } });
    // Started at 50%, then restarted with the kill switch.
    expect(starts.map(({ port }) => port)).toEqual([3000, 3000]);
  }, 900_000);
});
