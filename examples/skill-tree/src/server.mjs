// `pnpm start`: serves the skill-tree API until SIGTERM or SIGINT, then writes every queued
// event to EXPOSURE_LOG before exiting: 0 when the log holds every event, 1 when anything was
// lost (and said so). With BUCKETRY_STORE its rollout follows the store live, from before the
// first request on (live-rollouts.mjs), and SIGTERM closes the source too.
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { createSkillTreeApp } from './app.mjs';
import { ConfigError, readConfig } from './config.mjs';
import { trackConnections } from './graceful-close.mjs';
import { openJsonlFile } from './jsonl-file.mjs';
import { describeLiveRollout, startLiveRollouts } from './live-rollouts.mjs';

/** What shutdown keeps back from its timeout for syncing and closing the file and the store. */
const CLOSE_MARGIN_MS = 1_000;

let config;
try {
  config = readConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`skill-tree: not starting: ${error.message}`);
  process.exit(1);
}

// A log that cannot be written stops start-up here, not after the first lost batch.
let exposureLog;
try {
  if (!config.collectorUrl) exposureLog = await openJsonlFile(config.exposureLog, { log: (message) => console.error(`skill-tree: EXPOSURE_LOG ${message}`) });
} catch (error) {
  console.error(`skill-tree: not starting: EXPOSURE_LOG ${error.message}`);
  process.exit(1);
}

const skillTree = createSkillTreeApp(config, exposureLog);
let live;
if (config.live) {
  try {
    live = await startLiveRollouts(skillTree.client, skillTree.base, config.live, (message) => console.error(message));
  } catch (error) {
    console.error(`skill-tree: not starting: BUCKETRY_STORE: ${error.message}`);
    process.exit(1);
  }
}
if (config.rolloutWarning) console.error(`skill-tree: warning: ${config.rolloutWarning}`);
/** Where the rollout in force came from before any source delivered: the variable, or the default 0. */
const fallbackName = config.rolloutSetting ?? 'the default';
/** What the start-up line says about the rollout: the variable, or the store and what it holds. */
const rolloutLine = () =>
  config.live
    ? `BUCKETRY_STORE=${config.live.shownStore}, ${describeLiveRollout(skillTree.client, fallbackName)}`
    : config.rolloutSetting;

const server = createServer(skillTree.app);
const connections = trackConnections(server);

server.on('error', (error) => {
  console.error(`skill-tree: cannot listen on ${config.host}:${config.port}: ${error.message}`);
  process.exit(1);
});

server.listen(config.port, config.host, () => {
  const { port } = server.address();
  console.log(
    `skill-tree listening on http://${config.host}:${port} (pid ${process.pid}, ${rolloutLine()}, exposures to ${config.collectorUrl ?? resolve(config.exposureLog)}, /api/events ${config.eventsToken ? 'on' : 'off'})`,
  );
  // Every change the store brings, one line each, from here on (the start-up line says what is in force).
  if (live) skillTree.client.onChange(() => console.log(`skill-tree: ${describeLiveRollout(skillTree.client, fallbackName)}`));
});

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  const started = Date.now();
  console.log(`skill-tree: ${signal}: finishing requests and writing queued events`);
  const timer = setTimeout(() => {
    const open = process.getActiveResourcesInfo().filter((kind) => kind !== 'Timeout');
    console.error(`skill-tree: shutdown did not finish within ${config.shutdownTimeoutMs} ms (still open: ${open.join(', ') || 'nothing known'}); exiting`);
    process.exit(1);
  }, config.shutdownTimeoutMs);
  timer.unref();
  // Stop taking connections, end the idle ones at once, give requests in progress the grace
  // period (their exposures are queued by the time they answer), then cut what is left.
  const { cut } = await connections.closeGracefully({
    graceMs: config.shutdownGraceMs,
    onIdleClosed: (idle, busy) =>
      console.log(`skill-tree: closed ${idle} idle connections; waiting up to ${config.shutdownGraceMs} ms for ${busy} with a request in progress`),
  });
  if (cut > 0) console.error(`skill-tree: cut ${cut} connections still open after ${config.shutdownGraceMs} ms`);
  const problems = [];
  // No more updates: stop listening to the store and close its connections.
  await live?.close().catch((error) => problems.push(`BUCKETRY_STORE could not be closed: ${error.message}`));
  try {
    // What the timeout leaves, less a margin for the file's sync: past it, what is still queued is dropped and counted.
    await skillTree.close({ deadlineMs: Math.max(0, config.shutdownTimeoutMs - (Date.now() - started) - CLOSE_MARGIN_MS) });
  } catch (error) {
    problems.push(`EXPOSURE_LOG ${error.message}`);
  }
  problems.push(...skillTree.losses());
  const where = config.collectorUrl ?? resolve(config.exposureLog);
  if (problems.length > 0) {
    console.error(`skill-tree: stopped; the log ${where} is incomplete: ${problems.join('; ')}`);
    process.exitCode = 1;
    return;
  }
  console.log(`skill-tree: stopped; events written to ${where}`);
  // No process.exit: with every server, source and file closed, nothing keeps the process alive, so it ends
  // with 0 by itself; a handle left open (a source not closed) runs into the timer above instead.
  process.exitCode = 0;
}

/** A shutdown that failed outright says so and exits 1, never as an unhandled rejection. */
const stop = (signal) =>
  shutdown(signal).catch((error) => {
    console.error(`skill-tree: shutdown failed: ${error?.stack ?? error}`);
    process.exit(1);
  });
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
