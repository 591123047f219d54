// Starting and stopping this machine's PostgreSQL (127.0.0.1:5432, database test) and Redis
// (127.0.0.1:6379), which the tests and the benches use, with the machine's own commands.
// scripts/ensure-services.mjs starts them before the tests; bench/live-propagation.mjs stops and
// starts them for its outage part: one set of commands, so the bench restarts them as the tests
// expect them. Asynchronous on purpose: the bench measures traffic while a service stops or
// starts (pg_ctlcluster takes a second or two), and a synchronous call would stop its event loop.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';

/** Where the Redis started here keeps its files (a dump, when one is written). */
export const REDIS_DIR = '/var/lib/redis';
/** No persistence of its own: the tests need none. */
const REDIS_ARGS = ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', '6379', '--save', '', '--appendonly', 'no', '--dir', REDIS_DIR, '--logfile', '/var/log/redis/ci.log'];

/** Runs a command; resolves with its output, trimmed. */
export const run = (command, args) =>
  new Promise((resolve, reject) => execFile(command, args, { encoding: 'utf8' }, (error, stdout) => (error ? reject(error) : resolve(stdout.trim()))));

/** Whether 127.0.0.1:port accepts a TCP connection within a second. */
export function answers(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Checks every 100 ms until `check()` holds; throws `<what> within <seconds> s` after that. */
export async function waitUntil(what, check, seconds = 60) {
  for (let i = 0; i < seconds * 10; i++) {
    if (await check()) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${what} within ${seconds} s`);
}

/** Whether PostgreSQL answers a query in database `test`. */
export async function postgresReady() {
  if (!(await answers(5432))) return false;
  return run('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-tAc', 'select 1']).then(
    () => true,
    () => false,
  );
}

/** The Debian cluster's version, the one installed (`/etc/postgresql/<version>`). */
export const postgresVersion = () => readdirSync('/etc/postgresql')[0];
const pgCtl = (action) => run('pg_ctlcluster', ['--skip-systemctl-redirect', postgresVersion(), 'main', action]);

/**
 * Starts a command unless `port` answers already, then waits until it does. A failed start is not
 * thrown at once: two callers may start it together (the second's "already running" is fine);
 * the wait decides, and names the start's error if it never answers.
 */
async function startUnlessAnswering(name, port, start) {
  if (await answers(port)) return;
  const failure = await start().then(
    () => undefined,
    (error) => error,
  );
  await waitUntil(`${name} did not answer on 127.0.0.1:${port}${failure ? ` (${String(failure.message).trim()})` : ''}`, () => answers(port));
}

/** Starts PostgreSQL (`pg_ctlcluster … start`) unless it answers; resolves once its port does. */
export const startPostgres = () => startUnlessAnswering('PostgreSQL', 5432, () => pgCtl('start'));

/** Stops PostgreSQL (`pg_ctlcluster … stop`); resolves once its port no longer answers. */
export async function stopPostgres() {
  await pgCtl('stop');
  await waitUntil('PostgreSQL did not stop', async () => !(await answers(5432)));
}

/** `redis-cli` against the Redis of the tests. */
export const redisCli = (...args) => run('redis-cli', ['-h', '127.0.0.1', '-p', '6379', ...args]);

/** Starts Redis (`redis-server`, no persistence) unless it answers; resolves once it answers PING (its dump, if any, loaded). */
export async function startRedis() {
  await startUnlessAnswering('Redis', 6379, async () => {
    await run('mkdir', ['-p', REDIS_DIR, '/var/log/redis']);
    await run('redis-server', REDIS_ARGS);
  });
  await waitUntil('Redis did not answer PING', async () => (await redisCli('ping').catch(() => '')) === 'PONG');
}
