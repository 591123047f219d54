import type { Bucketry } from '@bucketry/core';
import { backoffDelay, jittered, quietTimer } from './backoff.js';
import { lostRecords } from './lost-records.js';
import { mergeRollouts } from './merge.js';
import { parseSnapshot, type RolloutSnapshot } from './record.js';
import type { LiveSource, SourceOptions } from './source-options.js';

/**
 * What a transport gives the loop: a load (a snapshot, checked by the loop, or `'unchanged'` for a
 * 304), `accepted` once what it loaded is in force, and optionally a push channel.
 */
export interface Transport {
  readonly name: string;
  load(): Promise<unknown>;
  accepted?(): void;
  watch?(onChange: () => void, onError: (error: unknown) => void): () => Promise<void>;
  close?(): Promise<void>;
}

/** An error after which polling stops (HTTP 401/403): retrying cannot help. */
export class FatalSourceError extends Error {
  override name = 'FatalSourceError';
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The loop every source runs: load, merge with the base configs, `bucketry.update`; on failure
 * keep the last good set, mark the client stale with the reason, report, and retry with
 * exponential backoff and jitter; on success poll at the interval with jitter; a push reads at
 * once. Nothing here runs inside an assignment, and nothing it does can throw into one.
 */
export function runSource(bucketry: Bucketry, transport: Transport, options: SourceOptions): LiveSource {
  const { name } = transport;
  const poll = options.pollInterval ?? 30_000;
  const jitter = options.jitter ?? 0.1;
  const report = (error: unknown, stage: 'load' | 'invalid' | 'unknown' | 'watch' | 'backup'): void => {
    try {
      if (options.onError) options.onError(error, { source: name, stage });
      else console.warn(`@bucketry/live: ${name} ${stage}:`, error); // never lost silently
    } catch {
      // A handler that throws must not stop the source.
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopWatch: (() => Promise<void>) | undefined;
  let closed = false;
  let failures = 0;
  let running: Promise<boolean> | undefined;
  let again = false;
  let last: RolloutSnapshot | undefined;
  let savedText: string | undefined;
  let unknownReported = '';

  const refuse = (error: unknown): void => {
    bucketry.reportSourceError(`${name} sent an invalid set (${message(error)}); the last good one stays in force`, error);
    report(error, 'invalid');
  };

  // Throws on an invalid set, which stays out, once it has been refused.
  const apply = (snapshot: RolloutSnapshot, from: string): void => {
    let merged;
    try {
      merged = mergeRollouts(options.base, snapshot);
      bucketry.update(merged.experiments, from);
    } catch (error) {
      refuse(error);
      throw error;
    }
    const unknown = merged.unknown.join(', ');
    if (unknown && unknown !== unknownReported) {
      report(new Error(`${name} holds rollout records for experiments this service does not know: ${unknown} (not applied)`), 'unknown');
    }
    unknownReported = unknown;
  };

  const save = async (snapshot: RolloutSnapshot): Promise<void> => {
    const content = JSON.stringify(snapshot.rollouts);
    if (!options.lastKnownGood?.write || content === savedText) return;
    try {
      await options.lastKnownGood.write(JSON.stringify({ savedAt: new Date().toISOString(), source: name, rollouts: snapshot.rollouts }));
      savedText = content;
    } catch (error) {
      report(error, 'backup');
    }
  };

  const schedule = (): void => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    const wait = failures ? backoffDelay(failures, options.retryDelay ?? 1_000, options.maxRetryDelay ?? 300_000) : jittered(poll, jitter);
    timer = quietTimer(() => void refresh(), wait);
  };

  const loadOnce = async (): Promise<boolean> => {
    let timeout: ReturnType<typeof setTimeout> | undefined;
    const limit = options.loadTimeout ?? 10_000;
    let loaded: unknown;
    try {
      loaded = await Promise.race([
        transport.load(),
        new Promise<never>((_, reject) => (timeout = quietTimer(() => reject(new Error(`${name} did not answer within ${limit} ms`)), limit))),
      ]);
    } catch (error) {
      failures++;
      bucketry.reportSourceError(`${name} could not be read (${message(error)}); the last good set stays in force`, error);
      report(error, 'load');
      if (error instanceof FatalSourceError) {
        closed = true; // retrying cannot help: stop, and say so
        void stopWatch?.();
      }
      return false;
    } finally {
      if (timeout) clearTimeout(timeout);
    }
    const fresh = loaded !== 'unchanged';
    let snapshot = last;
    if (fresh) {
      try {
        snapshot = parseSnapshot(loaded);
        const lost = lostRecords(last, snapshot);
        // Kept out, like an invalid set: the last good one stays.
        if (lost.length > 0) throw new Error(`it no longer holds the rollout of ${lost.join(', ')} (the store may have lost its data; set them again with bucketry rollout set)`);
      } catch (error) {
        failures++;
        refuse(error);
        return false;
      }
    }
    // After a failure, even a 304 is applied again: it clears the stale mark.
    if (snapshot && (fresh || failures > 0)) {
      try {
        apply(snapshot, name);
      } catch {
        failures++; // apply refused it; the next push or retry reads again
        return false;
      }
    }
    failures = 0;
    transport.accepted?.();
    if (fresh && snapshot) {
      last = snapshot;
      await save(snapshot);
    }
    return true;
  };

  const refresh = (): Promise<boolean> => {
    if (closed) return Promise.resolve(false);
    if (running) {
      again = true; // a push during a load: read once more after it
      return running;
    }
    running = (async () => {
      let ok: boolean;
      do {
        again = false;
        ok = await loadOnce();
      } while (again && !closed);
      running = undefined;
      schedule();
      return ok;
    })();
    return running;
  };

  const fallback = async (): Promise<void> => {
    for (const [backup, label] of [[options.lastKnownGood, 'last-known-good copy'], [options.bootstrap, 'bootstrap']] as const) {
      if (!backup) continue;
      try {
        const text = await backup.read();
        if (text === undefined) continue;
        const snapshot = parseSnapshot(text);
        const saved = (JSON.parse(text) as { savedAt?: string }).savedAt;
        apply(snapshot, `${name} (${label})`);
        last ??= snapshot;
        bucketry.reportSourceError(`${name} could not be read at start; serving its ${label}${saved ? ` saved at ${saved}` : ''} until it answers`, bucketry.status().lastError);
        return;
      } catch (error) {
        report(error, 'backup');
      }
    }
  };

  return {
    name,
    async start() {
      if (transport.watch && !stopWatch && !closed) {
        try {
          stopWatch = transport.watch(() => void refresh(), (error) => report(error, 'watch'));
        } catch (error) {
          report(error, 'watch'); // polling still runs
        }
      }
      if (!(await refresh()) && !last) await fallback();
    },
    refresh,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => {});
      await stopWatch?.().catch((error) => report(error, 'watch'));
      await transport.close?.().catch((error) => report(error, 'watch'));
    },
  };
}
