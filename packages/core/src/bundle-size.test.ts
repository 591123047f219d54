import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { measureBundle, type BundleMeasure } from '../../../test-support/bundle-size.js';
import * as core from './index.js';

// Issue #2 sets budgets of 2048 B (assignVariant + defineExperiment) and 6144 B (the whole core).
// They are NOT met yet (2745 B and 7311 B when this was first written; see the notes for what
// takes the space). Until they are, these ceilings hold the sizes where they are, so nothing
// grows unnoticed while the work to reach the budgets goes on. Lower them as the core shrinks;
// raise them only for a stated reason, in the commit that needs it.
const ASSIGN_ONLY_TARGET = 2048;
const WHOLE_CORE_TARGET = 6144;
// 2760 B, then +226 B for hashing ASCII strings in place (xxhash32.ts): about twice as fast
// (16x xxhashjs in `pnpm bench`, was 10x; the issue asks 20x); the bytes path keeps its own loop.
// 2990 B since the ASCII loop moved into xxhash32 itself and the primes became a const enum
// (21x xxhashjs: one call less, and literals instead of module `var`s V8 reloads on every use).
const ASSIGN_ONLY_CEILING = 2990;
// 7311 B at first, +70 B for the O(1) exposure dedupe ring, down to 7377 B in the review that
// followed, then +231 B for the in-place ASCII hash (above), +18 B for remembering exposures as
// unit -> variant per experiment (a third less of the Express middleware's time in dedupe).
// Review: -10 B (shared tail helpers in xxhash32, checkObject in experimentFromJSON), then +4 B for
// the public `experiment.live` that the HTTP adapters read instead of restating the kill-switch rule.
// 7619 B after the const-enum primes, then +64 B for remembering exposures keyed by unit first (a
// request's experiments share one lookup of the unit: 3 peek+expose 301 -> 230 ns, fewer cache misses).
// +23 B for remembering QA-override exposures apart from bucketed ones (each was swallowing the other).
const WHOLE_CORE_CEILING = 7706;

const indexPath = fileURLToPath(new URL('./index.ts', import.meta.url));
const packageJsonPath = fileURLToPath(new URL('../package.json', import.meta.url));

const here = fileURLToPath(new URL('.', import.meta.url));
const measureCore = (entry: string): Promise<BundleMeasure> => measureBundle(entry, { resolveDir: here });

const report = (what: string, m: BundleMeasure, ceiling: number, target: number): string =>
  `${what}: ${m.gzipped} B gzipped (ceiling ${ceiling} B, target ${target} B), ${m.minified} B minified; minified bytes by file: ${m.breakdown}`;

describe('bundle size', () => {
  it(`assignVariant + defineExperiment stay within ${ASSIGN_ONLY_CEILING} B gzipped (target ${ASSIGN_ONLY_TARGET} B)`, async () => {
    const measured = await measureCore(`export { assignVariant, defineExperiment } from ${JSON.stringify(indexPath)};`);
    // Guards against measuring an empty bundle.
    expect(measured.exports).toEqual(['assignVariant', 'defineExperiment']);
    expect(
      measured.gzipped,
      report('assignVariant + defineExperiment', measured, ASSIGN_ONLY_CEILING, ASSIGN_ONLY_TARGET),
    ).toBeLessThanOrEqual(ASSIGN_ONLY_CEILING);
  });

  it(`the whole core stays within ${WHOLE_CORE_CEILING} B gzipped (target ${WHOLE_CORE_TARGET} B)`, async () => {
    const measured = await measureCore(`export * from ${JSON.stringify(indexPath)};`);
    expect(measured.exports).toEqual(Object.keys(core).sort());
    expect(measured.gzipped, report('whole core', measured, WHOLE_CORE_CEILING, WHOLE_CORE_TARGET)).toBeLessThanOrEqual(
      WHOLE_CORE_CEILING,
    );
  });

  // Apps bundle core's one prebuilt file (dist/index.js), where a bundler keeps any top-level
  // statement it cannot prove free of side effects, used or not (package.json's `sideEffects:
  // false` only drops whole files): eligibility's operator table, built with calls, once cost
  // assign-only apps 227 B gzipped that way. So core, as one file, must do nothing on import.
  it('core bundled into one file does nothing on import, so a bundler can drop what an app leaves unused', async () => {
    const oneFile = await build({ entryPoints: [indexPath], bundle: true, format: 'esm', platform: 'neutral', write: false });
    const dir = mkdtempSync(join(tmpdir(), 'bucketry-core-'));
    try {
      writeFileSync(join(dir, 'index.js'), oneFile.outputFiles[0]!.contents);
      const imported = await build({ stdin: { contents: `import './index.js';`, resolveDir: dir }, bundle: true, minify: true, format: 'esm', write: false });
      expect(imported.outputFiles[0]!.text, 'left in the bundle').toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the published package has no runtime dependencies', () => {
    const manifest = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as Record<string, unknown>;
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      expect(manifest[field] ?? {}, `${field} of @bucketry/core`).toEqual({});
    }
  });
});
