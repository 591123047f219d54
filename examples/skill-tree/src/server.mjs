// `pnpm start`: serves the skill-tree API until SIGTERM or SIGINT, then writes every queued
// event to EXPOSURE_LOG before exiting.
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { createSkillTreeApp } from './app.mjs';
import { ConfigError, readConfig } from './config.mjs';

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
const server = createServer(skillTree.app);

server.on('error', (error) => {
  console.error(`skill-tree: cannot listen on ${config.host}:${config.port}: ${error.message}`);
  process.exit(1);
});

server.listen(config.port, config.host, () => {
  const { port } = server.address();
  console.log(
    `skill-tree listening on http://${config.host}:${port} (pid ${process.pid}, ${config.rolloutSetting}, exposures to ${resolve(config.exposureLog)}, /api/events ${config.eventsToken ? 'on' : 'off'})`,
  );
});

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`skill-tree: ${signal}: finishing requests and writing queued events`);
  const timer = setTimeout(() => {
    console.error(`skill-tree: shutdown took longer than ${SHUTDOWN_TIMEOUT_MS} ms; exiting`);
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS);
  timer.unref();
  // Stop taking connections and let requests in flight finish (their exposures are queued by then).
  await new Promise((done) => {
    server.close(() => done());
    server.closeIdleConnections();
  });
  await skillTree.close();
  console.log(`skill-tree: stopped; events written to ${resolve(config.exposureLog)}`);
  process.exit(0);
}

process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
