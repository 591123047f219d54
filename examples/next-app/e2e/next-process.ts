import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startServerProcess } from '../../skill-tree/src/server-process.mjs';

// `next build` and `next start` as child processes, for the end-to-end tests of the example app
// and of the README's app. Next is the example's (any app dir below it resolves the same one).
const nextBin = createRequire(fileURLToPath(new URL('../package.json', import.meta.url))).resolve('next/dist/bin/next');

/** What every run gets: no telemetry, a production build. */
const baseEnv = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' });

/** Runs `next build` in `dir`; resolves with its output, rejects with it on failure. */
export async function nextBuild(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const child = spawn(process.execPath, [nextBin, 'build'], { cwd: dir, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`next build in ${dir} exited with ${code}:\n${output}`);
  return output;
}

export interface RunningNext {
  readonly url: string;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * `next start -H 127.0.0.1 -p 0` in `dir`, through the example API's process starter (its own
 * process group, stopped whole, killed if it is not ready in time); resolves once Next.js prints
 * the port the OS gave it (requests from then on wait for the app to be ready).
 */
export async function nextStart(dir: string, env: NodeJS.ProcessEnv): Promise<RunningNext> {
  const server = await startServerProcess({
    args: [nextBin, 'start', '-H', '127.0.0.1', '-p', '0'],
    cwd: dir,
    env: baseEnv(env),
    ready: /Local:\s+(http:\/\/127\.0\.0\.1:\d+)/,
    timeoutMs: 30_000,
  });
  return {
    url: server.url,
    output: server.output,
    async stop() {
      await server.stop('SIGTERM', 5_000);
    },
  };
}
