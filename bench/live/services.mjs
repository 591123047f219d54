// Stopping and starting the machine's PostgreSQL and Redis for the outage part of
// bench/live-propagation.mjs, with the commands scripts/ensure-services.mjs uses. Every stop is
// paired with a start in a finally block by the caller, and `restoreAll()` (run on exit, Ctrl-C
// included) starts whatever this process stopped and did not start again: the bench always leaves
// both services running.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

const REDIS_DIR = '/var/lib/redis';
/** ensure-services.mjs's Redis: no persistence of its own, so the bench saves a snapshot for it to load. */
const REDIS_ARGS = ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', '6379', '--save', '', '--appendonly', 'no', '--dir', REDIS_DIR, '--logfile', '/var/log/redis/ci.log'];

const stopped = new Set();
// Asynchronous on purpose: a synchronous call would stop this process's event loop, and with it the
// traffic whose latency the bench measures (pg_ctlcluster stop takes a second or two).
const run = (command, args) =>
  new Promise((resolve, reject) => execFile(command, args, { encoding: 'utf8' }, (error, stdout) => (error ? reject(error) : resolve(stdout.trim()))));
const pause = (ms) => new Promise((done) => setTimeout(done, ms));

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

async function waitUntil(what, check, seconds = 60) {
  for (let i = 0; i < seconds * 10; i++) {
    if (await check()) return;
    await pause(100);
  }
  throw new Error(`${what} within ${seconds} s`);
}

const postgresVersion = () => readdirSync('/etc/postgresql')[0];
const pgReady = async () => {
  if (!(await answers(5432))) return false;
  try {
    await run('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-tAc', 'select 1']);
    return true;
  } catch {
    return false;
  }
};

export async function stopPostgres() {
  stopped.add('postgres');
  await run('pg_ctlcluster', ['--skip-systemctl-redirect', postgresVersion(), 'main', 'stop']);
  await waitUntil('PostgreSQL did not stop', async () => !(await answers(5432)));
}

export async function startPostgres() {
  // Two callers may start it at once (the outage's finally and a Ctrl-C): the second's "already running" is fine.
  if (!(await answers(5432))) await run('pg_ctlcluster', ['--skip-systemctl-redirect', postgresVersion(), 'main', 'start']).catch(() => {});
  await waitUntil('PostgreSQL did not answer', pgReady);
  stopped.delete('postgres');
}

const redisCli = (...args) => run('redis-cli', ['-h', '127.0.0.1', '-p', '6379', ...args]);
let savedDump;

/**
 * `redis-cli shutdown nosave`, after writing a snapshot where the restart will load it: the test
 * Redis keeps no data of its own, and a production Redis holding rollouts would (RDB or AOF).
 */
export async function stopRedis() {
  const dir = (await redisCli('config', 'get', 'dir')).split('\n')[1];
  const file = (await redisCli('config', 'get', 'dbfilename')).split('\n')[1];
  const target = join(REDIS_DIR, 'dump.rdb');
  const hadDump = existsSync(target);
  await redisCli('save');
  if (join(dir, file) !== target) copyFileSync(join(dir, file), target);
  savedDump = hadDump ? undefined : target; // removed again after the restart, as the machine had none
  stopped.add('redis');
  try {
    await redisCli('shutdown', 'nosave');
  } catch {
    // redis-cli reports the lost connection of a shutdown as an error.
  }
  await waitUntil('Redis did not stop', async () => !(await answers(6379)));
}

export async function startRedis() {
  if (!(await answers(6379))) {
    await run('mkdir', ['-p', REDIS_DIR, '/var/log/redis']);
    await run('redis-server', REDIS_ARGS).catch(() => {}); // the port taken by a second start: fine, checked below
  }
  await waitUntil('Redis did not answer', async () => (await answers(6379)) && (await redisCli('ping').catch(() => '')) === 'PONG');
  if (savedDump) rmSync(savedDump, { force: true });
  savedDump = undefined;
  stopped.delete('redis');
}

/** Starts whatever this process stopped and has not started again. */
export async function restoreAll() {
  if (stopped.has('postgres')) await startPostgres();
  if (stopped.has('redis')) await startRedis();
}
