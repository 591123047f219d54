// Starts the example's server as a child process and waits for its start-up line: used by the
// traffic script, the tests, `pnpm demo` and the docs tests, so all of them start and stop it
// the same way (node directly, never through pnpm, which does not pass SIGTERM on).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const EXAMPLE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));

/** What the server prints once it listens; the first group is its URL. */
export const LISTENING = /listening on (http:\/\/\S+)/;

const alive = (child) => child.exitCode === null && child.signalCode === null;

/**
 * Starts a process that serves until stopped: by default `node src/server.mjs` in the example's
 * directory, with exactly `env` (give `PATH` and the rest yourself). Returns at once with its
 * `pid`, `output()`, `stop(signal)` and `ready`, which resolves with its URL (the first group of
 * `ready`, default the example's start-up line) once the output shows it. `ready` rejects, after
 * killing the process, if it exits first or is not ready within `timeoutMs`.
 *
 * The process leads its own process group and `stop` signals the whole group, so a shell and
 * whatever it started stop together; a terminal's Ctrl-C reaches only the caller, which decides.
 */
export function spawnServerProcess({ command = process.execPath, args = [SERVER], cwd = EXAMPLE_DIR, env, ready = LISTENING, timeoutMs = 15_000 }) {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal));
    // A command that cannot start emits 'error' and never 'exit'.
    child.once('error', (error) => resolve(error.code));
  });
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const stop = async (signal = 'SIGTERM', graceMs = 15_000) => {
    if (alive(child)) signalGroup(signal);
    const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
      // Whatever the process started and left behind goes too.
      signalGroup('SIGKILL');
    }
  };
  const url = new Promise((resolve, reject) => {
    const fail = (message) => {
      clearTimeout(timer);
      void stop('SIGKILL').then(() => reject(new Error(`${message}:\n${output}`)));
    };
    const timer = setTimeout(() => fail(`${[command, ...args].join(' ')} did not start within ${timeoutMs} ms`), timeoutMs);
    let started = false;
    const onData = (chunk) => {
      output += chunk;
      const match = started ? null : ready.exec(output);
      if (match) {
        started = true;
        clearTimeout(timer);
        child.removeListener('exit', onEarlyExit);
        resolve(match[1]);
      }
    };
    const onEarlyExit = (code) => fail(`${[command, ...args].join(' ')} exited with ${code} before it was ready`);
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('exit', onEarlyExit);
    child.once('error', (error) => fail(`${command} could not start: ${error.message}`));
  });
  return { pid: child.pid, output: () => output, stop, ready: url };
}

/** {@link spawnServerProcess}, resolved once it is ready, with its `url`. */
export async function startServerProcess(options) {
  const server = spawnServerProcess(options);
  return { ...server, url: await server.ready };
}
