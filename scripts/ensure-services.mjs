// Runs before `pnpm test` (after ensure-test-tools.mjs): the tests of live configuration and
// sticky stores talk to a real PostgreSQL 15 (127.0.0.1:5432, trust auth, database `test`) and a
// real Redis 7 (127.0.0.1:6379). Each that does not answer is started with the machine's own
// command; on a machine without it, Debian's package is installed first (as root), configured
// for trust auth on loopback, and started. `.ci/run` relies on it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';

const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const run = (command, args, options = {}) => execFileSync(command, args, { stdio: 'inherit', env, ...options });
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Whether something accepts TCP connections on 127.0.0.1:port within timeoutMs. */
const answers = (port, timeoutMs = 1000) =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });

async function waitFor(name, ready, seconds = 60) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} did not answer on 127.0.0.1 within ${seconds} s after being started`);
}

function aptInstall(packages) {
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    console.error(`The tests need ${packages.join(' and ')}; install Debian's ${packages.join(' ')} (as root) and run pnpm test again.`);
    process.exit(1);
  }
  console.log(`Installing Debian's ${packages.join(' and ')} for the tests (once)...`);
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', '--no-install-recommends', ...packages]);
}

const pgReady = async () => {
  if (!(await answers(5432))) return false;
  try {
    execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-tAc', 'select 1'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

async function ensurePostgres() {
  if (await pgReady()) return;
  let installed = existsSync('/usr/bin/pg_ctlcluster');
  if (!installed) aptInstall(['postgresql']);
  const version = readdirSync('/etc/postgresql')[0];
  if (!installed) {
    // A fresh Debian cluster asks for passwords over TCP; the tests' contract is trust on loopback.
    const hba = `/etc/postgresql/${version}/main/pg_hba.conf`;
    writeFileSync(hba, `host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n${readFileSync(hba, 'utf8')}`);
    installed = true;
  }
  console.log(`Starting PostgreSQL ${version} for the tests...`);
  run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'ignore' });
  await waitFor('PostgreSQL', () => answers(5432));
  try {
    execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-tAc', 'create database test'], { stdio: 'ignore' });
  } catch {
    // Already there.
  }
  await waitFor('PostgreSQL (database test)', pgReady);
}

async function ensureRedis() {
  if (await answers(6379)) return;
  if (!existsSync('/usr/bin/redis-server')) aptInstall(['redis-server']);
  console.log('Starting Redis for the tests...');
  execFileSync('mkdir', ['-p', '/var/lib/redis', '/var/log/redis']);
  run('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', '6379', '--save', '', '--appendonly', 'no', '--dir', '/var/lib/redis', '--logfile', '/var/log/redis/ci.log']);
  await waitFor('Redis', () => answers(6379));
}

await ensurePostgres();
await ensureRedis();
