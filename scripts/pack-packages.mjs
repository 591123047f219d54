// Packs every published package of this repository into tarballs that install into any app, from
// npm or pnpm, before the packages are on the registry:
//
//   node scripts/pack-packages.mjs [--out <dir>] [--no-build]
//
// Each tarball is what `pnpm pack` makes (the files a publish would upload, workspace: versions
// replaced by real ones), with one change: its dependencies on sibling packages point at the
// sibling tarballs (`file:<dir>/bucketry-core-0.1.0.tgz`) instead of a registry version that does
// not exist yet. Prints the one install line per adapter. The default folder is .packed/ (ignored).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INTERNAL = '@bucketry/';
const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies'];

/** The workspace's publishable packages (not private), dependencies before their dependents. */
export function publishablePackages() {
  const all = readdirSync(join(ROOT, 'packages'))
    .map((dir) => join(ROOT, 'packages', dir))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => !manifest.private);
  const ordered = [];
  const visit = (pkg, path = []) => {
    if (ordered.includes(pkg)) return;
    if (path.includes(pkg)) throw new Error(`pack: a dependency cycle through ${pkg.manifest.name}`);
    for (const field of DEPENDENCY_FIELDS) {
      for (const name of Object.keys(pkg.manifest[field] ?? {})) {
        const sibling = all.find((other) => other.manifest.name === name);
        if (sibling) visit(sibling, [...path, pkg]);
      }
    }
    ordered.push(pkg);
  };
  for (const pkg of all) visit(pkg);
  return ordered;
}

/** The tarball's file name, as npm and pnpm name it: `@bucketry/core` 0.1.0 → bucketry-core-0.1.0.tgz. */
export const tarballName = (manifest) => `${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`;

/** Packs every publishable package into `out`; returns `{ name, file }` per package, in dependency order. */
export function packPackages(out, { build = true, log = console.log } = {}) {
  if (build) execFileSync('pnpm', ['build'], { cwd: ROOT, stdio: 'inherit' });
  mkdirSync(out, { recursive: true });
  const packed = [];
  for (const { dir, manifest } of publishablePackages()) {
    const work = mkdtempSync(join(tmpdir(), 'bucketry-pack-'));
    try {
      execFileSync('pnpm', ['pack', '--pack-destination', work], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
      const file = tarballName(manifest);
      execFileSync('tar', ['-xzf', join(work, file), '-C', work]);
      const manifestPath = join(work, 'package', 'package.json');
      const published = JSON.parse(readFileSync(manifestPath, 'utf8'));
      for (const field of DEPENDENCY_FIELDS) {
        for (const name of Object.keys(published[field] ?? {})) {
          const sibling = packed.find((p) => p.name === name);
          if (name.startsWith(INTERNAL)) {
            if (!sibling) throw new Error(`pack: ${manifest.name} depends on ${name}, which is not a published package here`);
            published[field][name] = `file:${sibling.file}`;
          }
        }
      }
      writeFileSync(manifestPath, `${JSON.stringify(published, null, 2)}\n`);
      const target = join(out, file);
      execFileSync('tar', ['-czf', target, '-C', work, 'package']);
      packed.push({ name: manifest.name, file: target });
      log(`packed ${manifest.name} ${manifest.version} -> ${target}`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return packed;
}

/** The tarballs an app installs for `names` (each with the siblings it needs, which npm and pnpm find through file:). */
export const tarballsFor = (packed, names) => names.map((name) => {
  const found = packed.find((p) => p.name === name);
  if (!found) throw new Error(`pack: ${name} is not a published package of this repository`);
  return found.file;
});

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, 'no-build': { type: 'boolean' } } });
  const out = resolve(values.out ?? join(ROOT, '.packed'));
  const packed = packPackages(out, { build: !values['no-build'] });
  const line = (names, extra) => `npm i ${[...tarballsFor(packed, names), ...extra].join(' ')}`;
  console.log(`\nInstall into your app (npm; with pnpm, use pnpm add and the same arguments):`);
  console.log(`  Express:  ${line(['@bucketry/express', '@bucketry/core'], ['express'])}`);
  console.log(`  Next.js:  ${line(['@bucketry/next', '@bucketry/core'], ['next'])}`);
  console.log(`  React:    ${line(['@bucketry/react', '@bucketry/core'], ['react'])}`);
  console.log(`  Analysis: ${line(['@bucketry/analyze'], [])}`);
}
