// A guide's install block (`$ pnpm add <package> …`) in a guide session: by default each package
// is linked from the workspace (ours built, anyone else's the copy a workspace package resolves);
// in packed mode they are installed for real, ours from packed tarballs.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, realpath, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GuideMismatchError, runShell, show, stripAnsi } from './guide-shell.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The workspace's packages by name: their folders and manifests. */
async function workspacePackages() {
  const found = new Map();
  for (const group of ['packages', 'examples']) {
    for (const dir of await readdir(join(ROOT, group))) {
      const manifest = join(ROOT, group, dir, 'package.json');
      if (existsSync(manifest)) {
        const json = JSON.parse(await readFile(manifest, 'utf8'));
        found.set(json.name, { dir: join(ROOT, group, dir), manifest: json });
      }
    }
  }
  return found;
}

/** Links each of `names` into `dir`'s node_modules from the workspace; a @bucketry package must be published, built and given its peers. */
async function linkFromWorkspace(names, dir, where, command) {
  const workspace = await workspacePackages();
  for (const name of names) {
    let target;
    const own = workspace.get(name);
    if (name.startsWith('@bucketry/')) {
      if (own === undefined || own.manifest.private) throw new GuideMismatchError(where, command, `${name} is not a published package of this repository`);
      if (!existsSync(join(own.dir, 'dist'))) throw new GuideMismatchError(where, command, `${name} is not built: run pnpm build first`);
      const peers = Object.keys(own.manifest.peerDependencies ?? {}).filter((peer) => !own.manifest.peerDependenciesMeta?.[peer]?.optional);
      const missing = peers.filter((peer) => !names.includes(peer));
      if (missing.length > 0) throw new GuideMismatchError(where, command, `${name} needs its peer dependencies ${missing.join(', ')} installed too`);
      target = own.dir;
    } else {
      // A third-party package: the copy a workspace package that uses it resolves.
      for (const { dir: packageDir } of workspace.values()) {
        if (existsSync(join(packageDir, 'node_modules', name, 'package.json'))) {
          target = await realpath(join(packageDir, 'node_modules', name));
          break;
        }
      }
      if (target === undefined) throw new GuideMismatchError(where, command, `${name} is used by no package of this repository, so the tests cannot provide it`);
    }
    const link = join(dir, 'node_modules', name);
    await mkdir(dirname(link), { recursive: true });
    await rm(link, { force: true });
    await symlink(target, link);
  }
}

/**
 * Installs for real with `packed.with` (npm or pnpm): @bucketry packages from the tarballs of
 * scripts/pack-packages.mjs (`packed.tarballs`: name → file), anything else from the registry.
 */
async function installPacked(names, { dir, env, packed }, where, command) {
  const args = names.map((name) => {
    if (!name.startsWith('@bucketry/')) return name;
    const file = packed.tarballs.get(name);
    if (file === undefined) throw new GuideMismatchError(where, command, `${name} is not a published package of this repository`);
    return file;
  });
  const argv = packed.with === 'npm' ? ['npm', 'install', '--no-audit', '--no-fund', ...args] : ['pnpm', 'add', ...args];
  const { code, output } = await runShell(argv.map((arg) => `'${arg}'`).join(' '), dir, { ...env, npm_config_loglevel: 'error' });
  if (code !== 0) throw new GuideMismatchError(where, command, `${argv.slice(0, 2).join(' ')} of the packed packages exited with ${code}:\n${show(stripAnsi(output))}`);
}

/** Runs an install block's command in the session's `dir` (with its `env`; `packed` for packed mode). */
export async function installBlock({ command, expected }, where, session) {
  const match = /^pnpm add ((?:[@\w./-]+ ?)+)$/.exec(command.trim());
  if (!match) throw new GuideMismatchError(where, command, 'an install block is `$ pnpm add <package> …`');
  if (expected.length > 0) throw new GuideMismatchError(where, command, 'an install block shows no output');
  const names = match[1].trim().split(' ');
  return session.packed ? installPacked(names, session, where, command) : linkFromWorkspace(names, session.dir, where, command);
}
