import { spawn } from 'node:child_process';
import { afterEach } from 'vitest';
import { EXAMPLE_DIR, SERVER, startServerProcess } from '../server-process.mjs';

export interface RunningExample {
  readonly url: string;
  readonly pid: number | undefined;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | string | null>;
}

export interface ExitedExample {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The server's environment: this one on top of a minimal one (a free port on 127.0.0.1). */
const serverEnv = (env: Record<string, string>) => ({ PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env });

/** Starts the example on a free port (PORT=0) and waits until it says where it listens. */
export function startExample(env: Record<string, string>, timeoutMs = 15_000): Promise<RunningExample> {
  return startServerProcess({ env: serverEnv(env), timeoutMs });
}

/**
 * {@link startExample} for a test file or `describe` block: every example it starts is killed
 * (SIGKILL) after each test, whether or not the test stopped it (one that fails first does not).
 */
export function useExamples(): typeof startExample {
  const started: RunningExample[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((example) => example.stop('SIGKILL')));
  });
  return async (env, timeoutMs) => {
    const example = await startExample(env, timeoutMs);
    started.push(example);
    return example;
  };
}

/** Runs the example expecting it to refuse to start; resolves once it exits. */
export function runExampleToExit(env: Record<string, string>, timeoutMs = 15_000): Promise<ExitedExample> {
  const child = spawn(process.execPath, [SERVER], { cwd: EXAMPLE_DIR, env: serverEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the example was still running after ${timeoutMs} ms:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
