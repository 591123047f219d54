// A step of `pnpm demo` whose output is for when it fails (the build): kept back while it runs,
// one line when it works, all of it when it does not. On a terminal the line counts the seconds.
import { spawn } from 'node:child_process';
import { secondsSince } from './demo-progress.mjs';

/**
 * Runs `command args` in `cwd`; writes `doing …` to `stream`, then `done in N s.`; rejects with
 * an error holding the whole output (stdout and stderr, in order) when it exits other than 0.
 * @param {{ command: string, args: string[], cwd: string, doing: string, done: string, stream?: { isTTY?: boolean, write(text: string): unknown } }} options
 * @returns {Promise<void>}
 */
export function runQuietly({ command, args, cwd, doing, done, stream = process.stdout }) {
  const start = Date.now();
  const tty = stream.isTTY;
  stream.write(tty ? `${doing} …` : `${doing} …\n`);
  const ticker = tty ? setInterval(() => stream.write(`\r${doing} … ${secondsSince(start)}`), 1_000) : undefined;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    const end = () => {
      clearInterval(ticker);
      if (tty) stream.write('\r\x1b[K');
    };
    child.once('error', (error) => {
      end();
      reject(new Error(`${[command, ...args].join(' ')} did not start: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      end();
      if (code !== 0) return reject(new Error(`${[command, ...args].join(' ')} failed (${code === null ? signal : `exit ${code}`}); its output:\n${output}`));
      stream.write(`${done} in ${secondsSince(start)}.\n\n`);
      resolve();
    });
  });
}
