import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import XXH from 'xxhashjs';

// The first hash of a long non-ASCII string in a process once read the UTF-8 scratch buffer
// before encoding had grown it, so that one call hashed stale bytes. Only a fresh process (or a
// fresh module) has the small buffer, so these tests make one.
const oracle = (input: string, seed = 0): number => XXH.h32(input, seed).toNumber();
const inputs = ['é'.repeat(100), '漢'.repeat(120), `user-${'Ωμέγα'.repeat(40)}`, '\u{1F600}'.repeat(90)];

/** Runs `body` as the first code of a new Node process, with core's source bundled in. */
async function inFreshProcess(body: string): Promise<unknown> {
  const entry = fileURLToPath(new URL('./index.ts', import.meta.url));
  const bundled = await build({
    stdin: { contents: `import * as core from ${JSON.stringify(entry)};\n${body}`, resolveDir: '.', loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
  });
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', bundled.outputFiles[0]!.text], { encoding: 'utf8' });
  return JSON.parse(output);
}

describe('xxhash32 on the first call of a process', () => {
  it('hashes a long non-ASCII string right the first time', async () => {
    for (const input of inputs) {
      const [first, second] = (await inFreshProcess(
        `const input = ${JSON.stringify(input)}; console.log(JSON.stringify([core.xxhash32(input), core.xxhash32(input)]));`,
      )) as number[];
      expect(first).toBe(oracle(input));
      expect(second).toBe(first);
    }
  }, 60_000);

  it('buckets a unit of 120 CJK characters the same on the first assignment as on later ones', async () => {
    const unit = '漢'.repeat(120);
    const [first, second] = (await inFreshProcess(
      `const e = core.defineExperiment({ key: 'k', variants: ['a', 'b'] }); const u = ${JSON.stringify(unit)};` +
        `console.log(JSON.stringify([core.assignVariant(e, u).bucket, core.assignVariant(e, u).bucket]));`,
    )) as number[];
    expect(first).toBe(second);
  }, 60_000);

  it('hashes right in a fresh module too (a worker or a test runner that reloads core)', async () => {
    const { vi } = await import('vitest');
    vi.resetModules();
    const fresh = (await import('./xxhash32.js')) as typeof import('./xxhash32.js');
    const input = '€'.repeat(200);
    expect(fresh.xxhash32(input, 7)).toBe(oracle(input, 7));
  });
});
