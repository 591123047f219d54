// Runs a guide's blocks (see markdown-commands.mjs) the way a reader would, in a scratch directory
// that looks like the repository root: examples/, packages/, docs/ and package.json are links to
// the real ones, so whatever the commands write (exports, cookies, node_modules of an install)
// lands in the scratch directory and the repository stays untouched.
//
// Servers listen on a free port: the guide says 127.0.0.1:3000, the session starts the server
// with PORT=0 and swaps the real port in for 3000 in the commands after it, and back in their
// output. A new server block stops the previous server first (SIGTERM, as a restart would), and
// each server must exit 0 on it: writing its queued events is part of what the guide promises.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnServerProcess } from '../../examples/skill-tree/src/server-process.mjs';
import { outputMatches } from './markdown-commands.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LINKED = ['examples', 'packages', 'docs', 'package.json'];
const DOCUMENTED_ORIGIN = '127.0.0.1:3000';
const LISTENING = /listening on (http:\/\/127\.0\.0\.1:(\d+))/;
const COMMAND_TIMEOUT_MS = 120_000;

const stripAnsi = (text) => text.replace(/\x1b\[[0-9;]*m/g, '');
const lines = (text) => stripAnsi(text).replace(/\n$/, '').split('\n');
const show = (text) => text.split('\n').map((line) => `    | ${line}`).join('\n');

/** Thrown when a block does not do what the guide says; the message says where and how. */
export class GuideMismatchError extends Error {
  constructor(where, command, message) {
    super(`${where}: $ ${command}\n${message}`);
    this.name = 'GuideMismatchError';
  }
}

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

/** Runs `bash -c command` in `cwd`, stdout and stderr merged in order; resolves with the code and output. */
function runShell(command, cwd, env) {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', `exec 2>&1\n${command}`], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      output += `\n[still running after ${COMMAND_TIMEOUT_MS} ms: stopped]`;
      process.kill(-child.pid, 'SIGKILL');
    }, COMMAND_TIMEOUT_MS);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal, output });
    });
  });
}

/** A scratch directory for one guide; `run(block, where)` runs its blocks in order, `close()` cleans up. */
export async function createGuideSession() {
  const dir = await mkdtemp(join(tmpdir(), 'guide-'));
  for (const name of LINKED) await symlink(join(ROOT, name), join(dir, name));
  await mkdir(join(dir, 'tmp'));
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    TMPDIR: join(dir, 'tmp'),
    TZ: 'UTC',
    LC_ALL: 'C.UTF-8',
    NO_COLOR: '1',
    NEXT_TELEMETRY_DISABLED: '1',
    npm_config_update_notifier: 'false',
    // Servers a guide starts take a free port; see the top of this file.
    PORT: '0',
  };
  let server;
  let port;

  const toActual = (text) => (port === undefined ? text : text.replaceAll(DOCUMENTED_ORIGIN, `127.0.0.1:${port}`).replaceAll('localhost:3000', `localhost:${port}`));
  const toDocumented = (text) => (port === undefined ? text : text.replaceAll(`127.0.0.1:${port}`, DOCUMENTED_ORIGIN).replaceAll(`localhost:${port}`, 'localhost:3000'));

  const compare = (where, command, expected, output) => {
    const actual = lines(toDocumented(output));
    if (!outputMatches(expected, actual)) {
      throw new GuideMismatchError(where, command, `the guide says it prints:\n${show(expected.join('\n'))}\nit printed:\n${show(actual.join('\n'))}`);
    }
  };

  async function stopServer(where) {
    if (server === undefined) return;
    const stopping = server;
    server = undefined;
    const code = await stopping.server.stop('SIGTERM');
    port = undefined;
    if (code !== 0) {
      throw new GuideMismatchError(where, stopping.command, `the server exited with ${code} on SIGTERM, not 0:\n${show(stripAnsi(stopping.server.output()))}`);
    }
  }

  async function startServer({ command, expected }, where) {
    if (/(^|\s)PORT=/.test(command)) throw new GuideMismatchError(where, command, 'a server in a guide must not set PORT: the tests give it a free one (see scripts/docs/guide-session.mjs)');
    await stopServer(where);
    const started = spawnServerProcess({ command: 'bash', args: ['-c', command], cwd: dir, env, ready: LISTENING });
    server = { server: started, command };
    try {
      await started.ready;
    } catch (error) {
      server = undefined;
      throw new GuideMismatchError(where, command, `the server did not start: ${error.message}`);
    }
    port = Number(LISTENING.exec(started.output())[2]);
    compare(where, command, expected, started.output());
  }

  async function install({ command, expected }, where) {
    const match = /^pnpm add ((?:[@\w./-]+ ?)+)$/.exec(command.trim());
    if (!match) throw new GuideMismatchError(where, command, 'an install block is `$ pnpm add <package> …`');
    if (expected.length > 0) throw new GuideMismatchError(where, command, 'an install block shows no output');
    const names = match[1].trim().split(' ');
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

  return {
    dir,
    /** Runs one block from parseGuide; `where` (file and line) goes into any error. */
    async run(block, where) {
      if (block.kind === 'file') {
        await mkdir(dirname(join(dir, block.path)), { recursive: true });
        await writeFile(join(dir, block.path), block.content);
        return;
      }
      if (block.kind === 'server') return startServer(block.commands[0], where);
      if (block.kind === 'install') return install(block.commands[0], where);
      for (const { command, expected, line } of block.commands) {
        const at = where.replace(/:\d+$/, `:${line}`);
        const { code, output } = await runShell(toActual(command), dir, env);
        if (code !== 0) throw new GuideMismatchError(at, command, `it exited with ${code}, not 0:\n${show(stripAnsi(output))}`);
        compare(at, command, expected, output);
      }
    },
    /** Stops the server the guide left running (it must exit 0) and removes the directory. */
    async close(where) {
      try {
        await stopServer(where);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
