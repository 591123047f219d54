import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexExports } from '../test-support/public-api-docs.js';

// `pnpm run docs` is `typedoc` with the root typedoc.json. These tests run it, into a temporary
// directory instead of docs/api.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TYPEDOC = join(ROOT, 'node_modules/typedoc/bin/typedoc');

interface Run {
  code: number;
  output: string;
}

/** `pnpm run docs <args>` by default, or typedoc itself with `{ direct: true }`. */
function typedoc(args: string[], { direct = false } = {}): Promise<Run> {
  const [command, commandArgs] = direct ? [process.execPath, [TYPEDOC, ...args]] : ['pnpm', ['run', 'docs', ...args]];
  return new Promise((resolve) => {
    execFile(command, commandArgs, { cwd: ROOT, timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      // Colours (if any) are not part of the message.
      const output = `${stdout}${stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
      resolve({ code: error ? Number(error.code ?? 1) : 0, output });
    });
  });
}

/** The published packages: every packages/* folder with a package.json that is not private. */
async function packages(): Promise<{ dir: string; name: string }[]> {
  const found = [];
  for (const dir of await readdir(join(ROOT, 'packages'))) {
    const manifest = join(ROOT, 'packages', dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name, private: isPrivate } = JSON.parse(await readFile(manifest, 'utf8'));
    if (!isPrivate) found.push({ dir, name });
  }
  return found;
}

/** typedoc's file name for a package, e.g. `_bucketry_core` for @bucketry/core. */
const slug = (name: string) => name.replace(/[@/-]/g, '_');

let out: string;
let run: Run;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'api-reference-'));
  run = await typedoc(['--out', out]);
}, 120_000);
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('pnpm run docs (typedoc, entryPointStrategy "packages")', () => {
  it('builds with no warning and no error', () => {
    expect(run.output).not.toMatch(/\[(warning|error)\]/);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('html generated at');
  });

  it('documents every package under packages/, found by the glob', async () => {
    const all = await packages();
    expect(all.map((p) => p.name)).toEqual(expect.arrayContaining(['@bucketry/core', '@bucketry/express', '@bucketry/analyze']));
    const converted = [...run.output.matchAll(/Converting project at \.\/packages\/([^\s]+)/g)].map((m) => m[1]);
    expect(converted.sort()).toEqual(all.map((p) => p.dir).sort());
    for (const { name } of all) expect(existsSync(join(out, 'modules', `${slug(name)}.html`)), name).toBe(true);
  });

  it('maps every package for links across packages (typedoc.json externalSymbolLinkMappings)', async () => {
    // typedoc.json has comments, which JSON.parse refuses; the mapping's lines are plain enough to read.
    const config = await readFile(join(ROOT, 'typedoc.json'), 'utf8');
    for (const { name } of await packages()) {
      expect(config, `add "${name}": { "*": "../modules/${slug(name)}.html" } to externalSymbolLinkMappings`).toContain(`"${name}": { "*": "../modules/${slug(name)}.html" }`);
    }
  });

  it('lists every export of every package on its page', async () => {
    for (const { dir, name } of await packages()) {
      const page = await readFile(join(out, 'modules', `${slug(name)}.html`), 'utf8');
      const names = indexExports(await readFile(join(ROOT, 'packages', dir, 'src/index.ts'), 'utf8')).map((exported) => exported.name);
      expect(names.length, name).toBeGreaterThan(0);
      const missing = names.filter((exported) => !page.includes(`>${exported}<`));
      expect(missing, `${name} exports missing from its API page`).toEqual([]);
    }
  });

  it('renders the TSDoc: summaries and @example code', async () => {
    const page = await readFile(join(out, 'functions', '_bucketry_core.assignVariant.html'), 'utf8');
    // The first sentence of assignVariant's TSDoc, and its @example as highlighted code.
    expect(page).toContain('Decides which variant a unit gets.');
    expect(page).toMatch(/>Example<[\s\S]*?<pre><code class="ts">[\s\S]*?>defineExperiment</);
  });

  it('fails on a warning: a package whose TSDoc links to nothing stops the build', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'api-reference-broken-'));
    try {
      await mkdir(join(broken, 'src'));
      await writeFile(join(broken, 'package.json'), JSON.stringify({ name: '@bucketry/broken-docs', version: '0.0.0', type: 'module' }));
      await writeFile(join(broken, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022' }, include: ['src'] }));
      await writeFile(join(broken, 'src/index.ts'), '/**\n * Links to {@link Nowhere}.\n * @example\n * ```ts\n * answer();\n * ```\n */\nexport function answer(): number {\n  return 42;\n}\n');
      const failed = await typedoc(['--options', 'typedoc.json', '--entryPoints', broken, '--out', join(broken, 'api')], { direct: true });
      expect(failed.output).toContain('[warning] Failed to resolve link to "Nowhere" in comment for answer');
      expect(failed.code).not.toBe(0);
      expect(existsSync(join(broken, 'api', 'index.html'))).toBe(false);
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });
});
