// Keeps the client's rollouts current from BUCKETRY_STORE with @bucketry/live (see live-config.mjs):
// the store's source (the file watched, PostgreSQL LISTEN/NOTIFY, Redis pub/sub) or an HTTP URL
// polled, each also read every BUCKETRY_POLL_MS; a last-known-good copy in DATA_DIR, so a restart
// while the store is down serves the last good rollout; and the bootstrap for a first start during
// an outage. Requests never wait for any of it: the source updates the client beside them.
import { rolloutStatus } from '@bucketry/express';
import { createStoreSource, lastKnownGoodFile, openStore } from '@bucketry/live';
import { createHttpSource } from '@bucketry/live/http';

const KEY = 'skill_tree_layout';
const message = (error) => (error instanceof Error ? error.message : String(error));

/**
 * Starts the source and resolves once the store has been read, or, when it cannot be, once the
 * last-known-good copy (else the bootstrap, else the base config) is in force with the client
 * marked stale; it retries with backoff from then on. Never rejects for an unreachable store;
 * throws only for a URL @bucketry/live cannot open. Errors go to `log`, one line each.
 */
export async function startLiveRollouts(client, base, live, log) {
  const options = {
    base,
    pollInterval: live.pollIntervalMs,
    lastKnownGood: lastKnownGoodFile(live.lastKnownGoodPath),
    ...(live.bootstrapPath !== undefined && { bootstrap: lastKnownGoodFile(live.bootstrapPath) }),
    onError: (error, { source, stage }) => log(`skill-tree: live rollouts: ${source} ${stage}: ${message(error)}`),
  };
  const source = live.kind === 'http' ? createHttpSource(client, { url: live.store, ...options }) : createStoreSource(client, openStore(live.store), options);
  await source.start();
  return source;
}

/**
 * What is in force and where it came from, for the start-up line and the change log:
 * `skill_tree_layout at 10% from postgres, config version 3690faca` (the version exposures carry,
 * for `bucketry analyze --config-version`), with `, stale: <why>` while the store cannot be read.
 * `fallback` names where the base config's rollout came from, shown until a source delivers.
 */
export function describeLiveRollout(client, fallback) {
  const status = client.status();
  const from = status.source === 'code' ? fallback : status.source;
  const experiment = client.experiment(KEY);
  // The percent as the status route answers it: 0 when the experiment is stopped.
  return `${KEY} at ${rolloutStatus(experiment).percentage}% from ${from}, config version ${experiment.version}${status.stale ? `, stale: ${status.staleReason}` : ''}`;
}
