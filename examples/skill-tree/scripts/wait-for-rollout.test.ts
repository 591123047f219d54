import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// The runbooks' "confirm it propagated" step: run as an operator runs it, against stand-in
// instances on 127.0.0.1 whose status route answers what the test says.
const SCRIPT = fileURLToPath(new URL('./wait-for-rollout.mjs', import.meta.url));

interface Instance {
  url: string;
  requests: number;
}
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

/** An instance whose status route answers `answers[i]` to its i-th request (the last one from then on). */
async function instance(...answers: string[]): Promise<Instance> {
  const state = { url: '', requests: 0 };
  const server = createServer((req, res) => {
    if (req.url !== '/api/feature-flags/skill_tree_layout') return void res.writeHead(404).end();
    const answer = answers[Math.min(state.requests++, answers.length - 1)]!;
    res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return state;
}

function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

const AT_10 = '{"enabled":true,"percentage":10}';
const AT_25 = '{"enabled":true,"percentage":25}';
const OFF = '{"enabled":false,"percentage":0}';

describe('wait-for-rollout', () => {
  it('waits until every instance answers the new rollout, and prints each one’s answer in the order given', async () => {
    const a = await instance(AT_25);
    const b = await instance(AT_10, AT_10, AT_10, AT_25); // picks the change up later
    const c = await instance(AT_25);
    const { code, stdout } = await run('25', a.url, b.url, c.url);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^${a.url}  \\{"enabled":true,"percentage":25\\}\n${b.url}  \\{"enabled":true,"percentage":25\\}\n${c.url}  \\{"enabled":true,"percentage":25\\}\nall 3 instances serve 25% \\(waited \\d+\\.\\d s\\)\n$`));
    expect(b.requests).toBe(4); // asked again until it answered 25
    expect(a.requests).toBe(1); // and the others no more once they had
  });

  it('waits for the kill switch as the route writes it: enabled false, percentage 0', async () => {
    const a = await instance(AT_10, OFF);
    const { code, stdout } = await run('0', a.url);
    expect(code).toBe(0);
    expect(stdout).toContain(`${a.url}  ${OFF}\nthe instance serves 0%`);
  });

  it('exits 1 at the deadline naming the instances still behind, and what they answer or why they do not', async () => {
    const a = await instance(AT_25);
    const b = await instance(AT_10);
    const down = await instance(AT_25);
    await new Promise((done) => servers.pop()!.close(done)); // nothing listens there any more
    const { code, stdout, stderr } = await run('25', a.url, b.url, down.url, '--timeout', '1');
    expect(code).toBe(1);
    expect(stdout).toContain(`${b.url}  ${AT_10}  <- not yet\n`);
    expect(stdout).toContain(`${down.url}  no answer (ECONNREFUSED)  <- not yet\n`);
    expect(stderr).toMatch(new RegExp(`^only 1 of 3 instances serve 25% after \\d+\\.\\d s; still behind: ${b.url}, ${down.url}\n$`));
  });

  it.each([
    [['150', 'http://127.0.0.1:3000'], '<percent> must be a percent from 0 to 100 with at most 4 decimals, got "150"'],
    [['25'], 'give 1 to 100 instance URLs, got 0'],
    [['25', '127.0.0.1:3000'], 'each instance must be an http(s)://host:port URL, got "127.0.0.1:3000"'],
    [['25', 'http://127.0.0.1:3000', '--timeout', '0'], '--timeout must be a whole number of seconds from 1 to 3600, got "0"'],
    [['25', 'http://127.0.0.1:3000', '--wait'], "Unknown option '--wait'"],
  ])('refuses %j with exit code 2, the rule and the usage', async (args, message) => {
    const { code, stdout, stderr } = await run(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('usage: node scripts/wait-for-rollout.mjs <percent> <instance URL>...');
  });
});
