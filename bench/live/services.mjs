// Stopping and starting the machine's PostgreSQL and Redis for the outage part of
// bench/live-propagation.mjs, with the commands of scripts/local-services.mjs (the ones
// scripts/ensure-services.mjs starts them with). Every stop is paired with a start in a finally
// block by the caller, and `restoreAll()` (run on exit, Ctrl-C included) starts whatever this
// process stopped and did not start again: the bench always leaves both services running.
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  answers,
  postgresReady,
  REDIS_DIR,
  redisCli,
  startPostgres as startMachinePostgres,
  startRedis as startMachineRedis,
  stopPostgres as stopMachinePostgres,
  waitUntil,
} from '../../scripts/local-services.mjs';

const stopped = new Set();

export async function stopPostgres() {
  stopped.add('postgres');
  await stopMachinePostgres();
}

export async function startPostgres() {
  await startMachinePostgres();
  await waitUntil('PostgreSQL did not answer', postgresReady);
  stopped.delete('postgres');
}

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
  await startMachineRedis();
  if (savedDump) rmSync(savedDump, { force: true });
  savedDump = undefined;
  stopped.delete('redis');
}

/** Starts whatever this process stopped and has not started again. */
export async function restoreAll() {
  if (stopped.has('postgres')) await startPostgres();
  if (stopped.has('redis')) await startRedis();
}
