// Runs a guide's blocks (see markdown-commands.mjs) the way a reader would, in a scratch directory
// that looks like the repository root: examples/, packages/, docs/ and package.json are links to
// the real ones, so whatever the commands write (exports, cookies, node_modules of an install)
// lands in the scratch directory and the repository stays untouched.
//
// Servers listen on a free port: the guide says 127.0.0.1:3000, the session starts the server
// with PORT=0 and swaps the real port in for 3000 in the commands after it, and back in their
// output. A guide that runs several instances side by side gives each a documented port of its
// own with `PORT=3001 …` in its server block: the session runs it with PORT=0 instead and maps
// 3001 the same way. A new server block on a port that already has a server stops that server
// first (SIGTERM, as a restart would); the others keep running. Each server must exit 0 on
// SIGTERM: writing its queued events is part of what the guide promises. `next start` is a server
// too, ready at its `- Local: http://127.0.0.1:<port>` line; it ends a SIGTERM with 143 after
// closing its server (its own convention), and a package manager running it (`pnpm exec next
// start`) by the signal, so for a Next.js server those count as a clean stop. A command that serves a
// page on a port of its own flag (`bucketry monitor … --serve 4000`, its status page) names its
// documented port with that flag instead, and is run with `--serve 0` and mapped the same way.
//
// `$ export NAME=value` (alone on its line, printing nothing) sets the variable for every later
// command and server, as in the reader's shell. A test may stand a value of its own in for one
// (`options.exports`): the runbooks export BUCKETRY_STORE=file:…, and their tests run the same
// commands against PostgreSQL and Redis.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnServerProcess } from '../../examples/skill-tree/src/server-process.mjs';
import { installBlock } from './guide-install.mjs';
import { GuideMismatchError, runShell, show, stripAnsi } from './guide-shell.mjs';
import { outputMatches } from './markdown-commands.mjs';

export { GuideMismatchError };

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LINKED = ['examples', 'packages', 'docs', 'package.json'];
const DEFAULT_PORT = 3000;
/** `export NAME=value`, the value bare or in single or double quotes. */
const EXPORT = /^export ([A-Za-z_][A-Za-z0-9_]*)=("([^"$`\\]*)"|'([^']*)'|([^\s"'$`\\;&|]*))$/;
/**
 * How a server command names its documented port, the first found: `PORT=<n>` among its leading
 * variables, else `--serve <n>` (a status page's flag). It runs with 0 there instead.
 */
const PORT_SETTINGS = [
  { name: 'PORT', pattern: /(^|\s)PORT=(\S*)/, shown: (value) => `PORT=${value}` },
  { name: '--serve', pattern: /(\s)--serve (\S*)/, shown: (value) => `--serve ${value}` },
];
/**
 * The servers a guide starts, by the line that says they are ready (its group: the URL), and the
 * exits on SIGTERM that count as a clean stop (see the top of this file).
 */
const SERVER_KINDS = [
  { ready: /listening on +(http:\/\/127\.0\.0\.1:\d+)/, cleanExits: [0] },
  // next start, or a package manager running it.
  { ready: /- Local: +(http:\/\/127\.0\.0\.1:\d+)/, cleanExits: [0, 143, 'SIGTERM'] },
];
const READY = new RegExp(SERVER_KINDS.map(({ ready }) => ready.source).join('|'));

const lines = (text) => stripAnsi(text).replace(/\n$/, '').split('\n');

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Replaces each `<host>:<from>` (not followed by a digit) with `<host>:<to>`, for every pair at once. */
function swapPorts(text, pairs) {
  if (pairs.length === 0) return text;
  const to = new Map(pairs.map(([from, target]) => [String(from), String(target)]));
  const pattern = new RegExp(`(127\\.0\\.0\\.1|localhost):(${[...to.keys()].map(escapeRegExp).join('|')})(?!\\d)`, 'g');
  return text.replace(pattern, (_match, host, port) => `${host}:${to.get(port)}`);
}

/**
 * A scratch directory for one guide; `run(block, where)` runs its blocks in order, `close()` cleans
 * up. `options.packed` (`{ with: 'npm' | 'pnpm', tarballs: Map<name, file> }`) makes it an app of
 * its own outside the workspace whose install blocks install for real, the packages from packed
 * tarballs. `options.exports` gives values that replace the guide's own when it exports those names
 * (see the top of this file), and `exported()` says which it did. `starts()` lists every server
 * started, for tests that check that an instance was never restarted.
 */
export async function createGuideSession(options = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'guide-'));
  const packed = options.packed;
  // An app of its own, outside the workspace, when installing packed tarballs: nothing of the
  // repository is linked in, so the guide's code can only find what the install put there.
  if (packed) await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: 'guide-app', private: true, type: 'module' }, null, 2)}\n`);
  else for (const name of LINKED) await symlink(join(ROOT, name), join(dir, name));
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
  const replacements = new Map(Object.entries(options.exports ?? {}));
  const exported = new Set();
  /** The running servers by documented port: `{ server, command, kind, port }` (kind: of SERVER_KINDS; port: the actual one). */
  const servers = new Map();
  const started = [];

  const toActual = (text) => swapPorts(text, [...servers].map(([documented, { port }]) => [documented, port]));
  const toDocumented = (text) => swapPorts(text, [...servers].map(([documented, { port }]) => [port, documented]));

  const compare = (where, command, expected, output) => {
    const actual = lines(toDocumented(output));
    if (!outputMatches(expected, actual)) {
      throw new GuideMismatchError(where, command, `the guide says it prints:\n${show(expected.join('\n'))}\nit printed:\n${show(actual.join('\n'))}`);
    }
  };

  async function stopServer(documented, where) {
    const stopping = servers.get(documented);
    if (stopping === undefined) return;
    servers.delete(documented);
    const code = await stopping.server.stop('SIGTERM');
    const { cleanExits } = stopping.kind;
    if (!cleanExits.includes(code)) {
      throw new GuideMismatchError(where, stopping.command, `the server exited with ${code} on SIGTERM, not ${cleanExits.join(' or ')}:\n${show(stripAnsi(stopping.server.output()))}`);
    }
  }

  /** The documented port a server block takes (its port setting, 1024-65535, else 3000), and the command to run: on port 0. */
  function portOf(command, where) {
    for (const { name, pattern, shown } of PORT_SETTINGS) {
      const setting = pattern.exec(command);
      if (setting === null) continue;
      const value = setting[2];
      if (!/^\d{4,5}$/.test(value) || Number(value) < 1024 || Number(value) > 65535) {
        throw new GuideMismatchError(where, command, `a server in a guide sets ${name} only to name its documented port, 1024-65535, got ${shown(value)} (the tests give it a free one: see scripts/docs/guide-session.mjs)`);
      }
      return { documented: Number(value), onFreePort: command.replace(pattern, (_all, before) => `${before}${shown(0)}`) };
    }
    return { documented: DEFAULT_PORT, onFreePort: command };
  }

  async function startServer({ command, expected }, where) {
    const { documented, onFreePort } = portOf(command, where);
    await stopServer(documented, where);
    const child = spawnServerProcess({ command: 'bash', args: ['-c', toActual(onFreePort)], cwd: dir, env, ready: READY, timeoutMs: 60_000 });
    try {
      await child.ready;
    } catch (error) {
      throw new GuideMismatchError(where, command, `the server did not start: ${error.message}`);
    }
    const output = stripAnsi(child.output());
    const kind = SERVER_KINDS.find(({ ready }) => ready.test(output));
    servers.set(documented, { server: child, command, kind, port: Number(new URL(kind.ready.exec(output)[1]).port) });
    started.push({ port: documented, pid: child.pid, where });
    compare(where, command, expected, child.output());
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
      if (block.kind === 'install') return installBlock(block.commands[0], where, { dir, env, packed });
      for (const { command, expected, line } of block.commands) {
        const at = where.replace(/:\d+$/, `:${line}`);
        if (command.startsWith('export ')) {
          const match = EXPORT.exec(command.trim());
          if (match === null) throw new GuideMismatchError(at, command, 'an export sets one variable to a plain value: export NAME=value (quotes allowed, no $, no other commands)');
          if (expected.length > 0) throw new GuideMismatchError(at, command, 'an export prints nothing');
          const [, name, , doubleQuoted, singleQuoted, bare] = match;
          env[name] = replacements.get(name) ?? doubleQuoted ?? singleQuoted ?? bare;
          exported.add(name);
          continue;
        }
        const { code, output } = await runShell(toActual(command), dir, env);
        if (code !== 0) throw new GuideMismatchError(at, command, `it exited with ${code}, not 0:\n${show(stripAnsi(output))}`);
        compare(at, command, expected, output);
      }
    },
    /** Every server started so far, in order: its documented port, pid and the block that started it. */
    starts: () => [...started],
    /** The names the guide has exported so far. */
    exported: () => new Set(exported),
    /** Stops the servers the guide left running (each must stop cleanly) and removes the directory. */
    async close(where) {
      try {
        const errors = [];
        for (const documented of [...servers.keys()]) await stopServer(documented, where).catch((error) => errors.push(error));
        if (errors.length > 0) throw errors[0];
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
