// Runs before `pnpm test` (after ensure-test-tools.mjs): the tests of live configuration and
// sticky stores talk to a real PostgreSQL 15 (127.0.0.1:5432, trust auth, database `test`) and a
// real Redis 7 (127.0.0.1:6379). Each that does not answer is started with the machine's own
// command (local-services.mjs); on a machine without it, Debian's package is installed first (as
// root), configured for trust auth on loopback, and started. `.ci/run` relies on it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { installDebianPackages } from './apt-install.mjs';
import { answers, postgresReady, postgresVersion, run, startPostgres, startRedis, waitUntil } from './local-services.mjs';

async function ensurePostgres() {
  if (await postgresReady()) return;
  if (!existsSync('/usr/bin/pg_ctlcluster')) {
    installDebianPackages(['postgresql'], 'The tests need PostgreSQL (127.0.0.1:5432, database test)');
    // A fresh Debian cluster asks for passwords over TCP; the tests' contract is trust on loopback.
    const hba = `/etc/postgresql/${postgresVersion()}/main/pg_hba.conf`;
    writeFileSync(hba, `host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n${readFileSync(hba, 'utf8')}`);
  }
  console.log(`Starting PostgreSQL ${postgresVersion()} for the tests...`);
  await startPostgres();
  await run('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-tAc', 'create database test']).catch(() => {}); // already there
  await waitUntil('PostgreSQL (database test) did not answer', postgresReady);
}

async function ensureRedis() {
  if (await answers(6379)) return;
  if (!existsSync('/usr/bin/redis-server')) installDebianPackages(['redis-server'], 'The tests need Redis (127.0.0.1:6379)');
  console.log('Starting Redis for the tests...');
  await startRedis();
}

await ensurePostgres();
await ensureRedis();
