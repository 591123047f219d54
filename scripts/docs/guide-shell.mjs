// What a guide session's parts share: the error that says where a guide and its commands part
// ways, and running a command as the reader's shell would.
import { spawn } from 'node:child_process';

// `next build` takes most of a minute on a quiet 2-core machine.
const COMMAND_TIMEOUT_MS = 300_000;

export const stripAnsi = (text) => text.replace(/\x1b\[[0-9;]*m/g, '');
/** Output quoted in an error, each line behind a bar. */
export const show = (text) => text.split('\n').map((line) => `    | ${line}`).join('\n');

/** Thrown when a block does not do what the guide says; the message says where and how. */
export class GuideMismatchError extends Error {
  constructor(where, command, message) {
    super(`${where}: $ ${command}\n${message}`);
    this.name = 'GuideMismatchError';
  }
}

/** Runs `bash -c command` in `cwd`, stdout and stderr merged in order; resolves with the code and output. */
export function runShell(command, cwd, env) {
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
