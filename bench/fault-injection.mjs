// Fault injection on the example API (examples/skill-tree), issue #21: over --requests requests
// (default 20,000) from distinct users in each case, a fault, and then a count of what the
// exposure log (or the collector) holds against what was answered. Not a test: it prints a table.
//
//   node bench/fault-injection.mjs [--requests 20000] [--concurrency 16] [--only sigterm,sigkill,...]
//
// Needs root for the cases on a small disk (a tmpfs is mounted under the temporary directory and
// always unmounted again). See bench/README.md for what each case does and what it should show.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { spawnServerProcess } from '../examples/skill-tree/src/server-process.mjs';
import { startCollector } from '../examples/skill-tree/src/test-support/collector.mjs';
import { mountSmallDisk } from '../examples/skill-tree/src/test-support/small-disk.mjs';
import { comparePairs, drive, openAwkwardConnections, readLog, reportedDropped } from './fault-injection-traffic.mjs';

const { values: args } = parseArgs({
  options: { requests: { type: 'string', default: '20000' }, concurrency: { type: 'string', default: '16' }, only: { type: 'string' } },
});
const REQUESTS = Number(args.requests);
const CONCURRENCY = Number(args.concurrency);

/** What to undo if the bench stops early: servers to kill, disks to unmount, directories to remove. */
const cleanups = [];
const later = (fn) => cleanups.push(fn);
async function cleanUp() {
  while (cleanups.length > 0) await cleanups.pop()().catch((error) => console.error(`cleanup: ${error.message}`));
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void cleanUp().then(() => process.exit(130)));

async function scratchDir() {
  const dir = await mkdtemp(join(tmpdir(), 'fault-injection-'));
  later(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts the example with the bench's settings on top of `extra`, killed at cleanup; `ready` says when it listens, or why it did not start. */
function spawnExample(extra) {
  const server = spawnServerProcess({
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', SKILL_TREE_LIST_ROLLOUT: '50', ...extra },
    timeoutMs: 60_000,
  });
  later(() => server.stop('SIGKILL'));
  return server;
}

/** {@link spawnExample}, resolved once it listens. */
async function start(extra) {
  const server = spawnExample(extra);
  return { ...server, url: await server.ready };
}

/** Sends the signal and times it to the exit; resolves with the exit code (or signal) and ms. */
async function stopTimed(server, signal) {
  const sent = performance.now();
  const code = await server.stop(signal, 120_000);
  return { code, shutdownMs: Math.round(performance.now() - sent) };
}

/** The row for a case whose events went to `records`. */
function row(name, traffic, records, torn, stopped, output, note = '') {
  const pairs = comparePairs(traffic.tagged, records);
  return { name, responses: traffic.responses, tagged: traffic.tagged.size, ...pairs, torn, reported: reportedDropped(output), exit: stopped.code, shutdownMs: stopped.shutdownMs, note };
}

/** Traffic until REQUESTS answers; at that point `signal` is sent with idle and half-sent connections open; traffic goes on until refused. */
async function trafficThenSignal(server, prefix, signal, hooks = () => {}) {
  let stopping;
  const traffic = await drive(server.url, {
    prefix,
    concurrency: CONCURRENCY,
    enough: () => false,
    at: async (responses) => {
      await hooks(responses);
      if (responses !== REQUESTS || stopping !== undefined) return;
      const awkward = await openAwkwardConnections(server.url);
      later(async () => awkward.destroy());
      stopping = stopTimed(server, signal);
    },
  });
  // Refused before the signal: the server died on its own.
  return { traffic, stopped: stopping ? await stopping : { code: `died at ${traffic.responses}`, shutdownMs: NaN } };
}

const cases = {
  /** SIGTERM mid-load with idle keep-alive, silent and half-sent connections open. */
  async sigterm() {
    const log = join(await scratchDir(), 'exposures.jsonl');
    const server = await start({ EXPOSURE_LOG: log });
    const { traffic, stopped } = await trafficThenSignal(server, 'term', 'SIGTERM');
    const { records, torn } = await readLog(log);
    return row('SIGTERM, idle + half-open sockets', traffic, records, torn, stopped, server.output(), `${traffic.failed} refused after the signal`);
  },

  /** SIGKILL mid-load: what was queued in memory is lost; a restart on the same log works. */
  async sigkill() {
    const log = join(await scratchDir(), 'exposures.jsonl');
    const server = await start({ EXPOSURE_LOG: log });
    const { traffic, stopped } = await trafficThenSignal(server, 'kill', 'SIGKILL');
    const again = await start({ EXPOSURE_LOG: log });
    const restarted = await stopTimed(again, 'SIGTERM');
    const { records, torn } = await readLog(log);
    const cut = /cut off a torn last line \((\d+) bytes/.exec(again.output())?.[1];
    const said = again.output().includes('did not close it (a crash, or SIGKILL)') ? 'said the run before did not close the log' : 'said nothing of the crash';
    return row('SIGKILL mid-load', traffic, records, torn, stopped, server.output(), `restart on the log: exit ${restarted.code}, ${said}${cut ? `, cut a torn tail of ${cut} B` : ''}; lost = queued in memory (≤ 1 s)`);
  },

  /** Logs that cannot be written: start-up refuses, naming the path and the reason. */
  async unwritable() {
    const dir = await scratchDir();
    await writeFile(join(dir, 'a-file'), '');
    const readOnly = await mountSmallDisk(64, { readOnly: true });
    later(() => readOnly.remove());
    const rows = [];
    for (const [name, log] of [
      ['/dev/full', '/dev/full'],
      ['under a file', join(dir, 'a-file', 'exposures.jsonl')],
      ['under /proc', '/proc/self/bucketry/exposures.jsonl'],
      ['read-only mount', join(readOnly.dir, 'exposures.jsonl')],
    ]) {
      const began = performance.now();
      const server = spawnExample({ EXPOSURE_LOG: log });
      const refused = await server.ready.then(() => undefined, (error) => error.message);
      const code = await server.stop('SIGKILL');
      const reason = /not starting: (.*)/.exec(server.output())?.[1] ?? refused ?? 'it started';
      rows.push({ name: `unwritable log: ${name}`, responses: 0, tagged: 0, inLog: 0, lost: 0, duplicated: 0, mismatched: 0, unanswered: 0, torn: 0, reported: 0, exit: code, shutdownMs: Math.round(performance.now() - began), note: reason });
    }
    return rows;
  },

  /** The log's disk fills at 25% of the traffic and frees at 60%. */
  async 'disk-fills'() {
    const disk = await mountSmallDisk(16 * 1024);
    later(() => disk.remove());
    const log = join(disk.dir, 'exposures.jsonl');
    const server = await start({ EXPOSURE_LOG: log });
    const failures = () => (server.output().match(/exposures: delivery of/g) ?? []).length;
    const { traffic, stopped } = await trafficThenSignal(server, 'fills', 'SIGTERM', async (responses) => {
      if (responses === Math.round(REQUESTS * 0.25)) await disk.fill();
      if (responses !== Math.round(REQUESTS * 0.6)) return;
      // Full until writes have failed a few times, however fast the traffic got here.
      while (failures() < 3) await new Promise((resolve) => setTimeout(resolve, 50));
      await disk.free();
    });
    const { records, torn } = await readLog(log);
    return row('disk fills (25%) and frees (60%)', traffic, records, torn, stopped, server.output(), `${failures()} failed writes retried`);
  },

  /** The log's disk is full from the start and stays full: every exposure lost, and said so. */
  async 'disk-full'() {
    const disk = await mountSmallDisk(1024);
    later(() => disk.remove());
    const log = join(disk.dir, 'exposures.jsonl');
    const server = await start({ EXPOSURE_LOG: log });
    await disk.fill();
    let health;
    const { traffic, stopped } = await trafficThenSignal(server, 'full', 'SIGTERM', async (responses) => {
      if (responses === REQUESTS) health = (await fetch(`${server.url}/api/healthz`)).status;
    });
    const { records, torn } = await readLog(log);
    return row('disk full throughout', traffic, records, torn, stopped, server.output(), `health at SIGTERM ${health}; lost = reported`);
  },
};

/** A collector that misbehaves (`fault()` gives the answer) from 20% to 50% of the traffic, or to the end with `throughStop`. */
function collectorCase(name, fault, throughStop = false) {
  return async () => {
    let failing = false;
    const collector = await startCollector({ answer: () => (failing ? fault() : { status: 200 }) });
    later(() => collector.close());
    const server = await start({ EXPOSURE_COLLECTOR_URL: collector.url });
    const { traffic, stopped } = await trafficThenSignal(server, name, 'SIGTERM', (responses) => {
      if (responses === Math.round(REQUESTS * 0.2)) failing = true;
      if (!throughStop && responses === Math.round(REQUESTS * 0.5)) failing = false;
    });
    const { ok, failed, hung } = collector.requests;
    // The shutdown timer's message means something (a hanging request) kept the process up.
    const ended = server.output().includes('shutdown did not finish') ? 'exit forced by the shutdown timer' : 'the process ended on its own';
    return row(`collector: ${name}`, traffic, collector.received, 0, stopped, server.output(), `collector requests: ${ok} ok, ${failed} failed, ${hung} hung; ${ended}`);
  };
}
cases['collector-500'] = collectorCase('500 (20-50%)', () => ({ status: 500 }));
cases['collector-429'] = collectorCase('429 Retry-After: 2 (20-50%)', () => ({ status: 429, retryAfter: '2' }));
cases['collector-hang'] = collectorCase('hangs (20-50%)', () => ({ hang: true }));
cases['collector-down'] = collectorCase('hangs from 20% through SIGTERM', () => ({ hang: true }), true);

const columns = ['name', 'responses', 'tagged', 'inLog', 'lost', 'duplicated', 'mismatched', 'torn', 'reported', 'exit', 'shutdownMs', 'note'];
const headings = ['case', 'responses', 'tagged pairs', 'pairs in log', 'lost', 'duplicated', 'other variant', 'torn lines', 'reported lost', 'exit', 'shutdown ms', 'note'];

const chosen = args.only ? args.only.split(',') : Object.keys(cases);
const rows = [];
try {
  for (const name of chosen) {
    if (!cases[name]) throw new Error(`no case ${name}; the cases: ${Object.keys(cases).join(', ')}`);
    console.error(`fault-injection: ${name} …`);
    const result = await cases[name]();
    rows.push(...[result].flat());
    await cleanUp();
  }
} finally {
  await cleanUp();
}
console.log(`fault injection on examples/skill-tree, ${REQUESTS} requests a case, ${CONCURRENCY} in flight, 127.0.0.1`);
console.log(`| ${headings.join(' | ')} |`);
console.log(`| ${headings.map(() => '---').join(' | ')} |`);
for (const result of rows) console.log(`| ${columns.map((column) => String(result[column])).join(' | ')} |`);
