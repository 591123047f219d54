// `pnpm start`: serves the skill-tree API until SIGTERM or SIGINT, then writes every queued
// event to EXPOSURE_LOG before exiting. With BUCKETRY_STORE its rollout follows the store live,
// from before the first request on (live-rollouts.mjs), and SIGTERM closes the source too.
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { createSkillTreeApp } from './app.mjs';
import { ConfigError, readConfig } from './config.mjs';
import { describeLiveRollout, startLiveRollouts } from './live-rollouts.mjs';

/** How long shutdown may take before the process gives up and exits with an error. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

let config;
try {
  config = readConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`skill-tree: not starting: ${error.message}`);
  process.exit(1);
}

const skillTree = createSkillTreeApp(config);
let live;
if (config.live) {
  try {
    live = await startLiveRollouts(skillTree.client, skillTree.base, config.live, (message) => console.error(message));
  } catch (error) {
    console.error(`skill-tree: not starting: BUCKETRY_STORE: ${error.message}`);
    process.exit(1);
  }
}
/** Where the rollout in force came from before any source delivered: the variable, or the default 0. */
const fallbackName = config.rolloutSetting ?? 'the default';
/** What the start-up line says about the rollout: the variable, or the store and what it holds. */
const rolloutLine = () =>
  config.live
    ? `BUCKETRY_STORE=${config.live.shownStore}, ${describeLiveRollout(skillTree.client, fallbackName)}`
    : config.rolloutSetting;

const server = createServer(skillTree.app);

server.on('error', (error) => {
  console.error(`skill-tree: cannot listen on ${config.host}:${config.port}: ${error.message}`);
  process.exit(1);
});

server.listen(config.port, config.host, () => {
  const { port } = server.address();
  console.log(
    `skill-tree listening on http://${config.host}:${port} (pid ${process.pid}, ${rolloutLine()}, exposures to ${resolve(config.exposureLog)}, /api/events ${config.eventsToken ? 'on' : 'off'})`,
  );
  // Every change the store brings, one line each, from here on (the start-up line says what is in force).
  if (live) skillTree.client.onChange(() => console.log(`skill-tree: ${describeLiveRollout(skillTree.client, fallbackName)}`));
});

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`skill-tree: ${signal}: finishing requests and writing queued events`);
  const timer = setTimeout(() => {
    console.error(`skill-tree: shutdown did not finish within ${SHUTDOWN_TIMEOUT_MS} ms (a request still running, or something left open); exiting`);
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS);
  timer.unref();
  // Stop taking connections and let requests in flight finish (their exposures are queued by then).
  await new Promise((done) => {
    server.close(() => done());
    server.closeIdleConnections();
  });
  // No more updates: stop listening to the store and close its connections.
  await live?.close();
  await skillTree.close();
  console.log(`skill-tree: stopped; events written to ${resolve(config.exposureLog)}`);
  // No process.exit: with every server, source and file closed, nothing keeps the process alive, so it ends
  // with 0 by itself; a handle left open (a source not closed) runs into the timer above instead.
  process.exitCode = 0;
}

process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
