import type { Bucketry, BucketryStatus } from '@bucketry/core';
import type { BucketryProviderOptions, ProviderErrorContext } from './options.js';

/** What the lifecycle tells the provider's event emitter. @internal */
export type LifecycleEvent =
  | { readonly kind: 'ready' }
  | { readonly kind: 'stale'; readonly message: string }
  | { readonly kind: 'changed'; readonly flagsChanged: string[] };

const versionsOf = (client: Bucketry): Map<string, string> => new Map(client.experiments.map((e) => [e.key, e.version]));

/**
 * A provider's state over the client's: not ready until `initialize` has the first good set,
 * stale while the client's source is, and a configuration change for each new set in force,
 * naming the flags whose config changed. Shared by the server and web providers.
 * @internal
 */
export function createLifecycle(
  client: Bucketry,
  options: BucketryProviderOptions,
  emit: (event: LifecycleEvent) => void,
  report: (error: unknown, context: ProviderErrorContext) => void,
) {
  let ready = false;
  /** While `initialize` waits: the SDK announces READY when it resolves, so nothing is emitted before. */
  let initializing = false;
  /** The status at the last look; whether it was stale is what the provider last announced. */
  let seen: BucketryStatus | undefined;
  let versions = versionsOf(client);
  let unsubscribe: (() => void) | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;

  // Looked at on every evaluation (one call, one comparison) and on a timer: core tells no one
  // when a source goes stale, only when a new set is in force.
  const check = (): void => {
    // Not while initialize waits, nor once closed (a closed provider must not come back READY).
    if (initializing || unsubscribe === undefined) return;
    const status = client.status();
    if (status === seen) return;
    const wasStale = seen?.stale === true;
    seen = status;
    if (!ready) {
      // A source that failed to start and then loaded: ready after all (OpenFeature's recovery).
      if (status.source === 'code' || status.stale) return;
      ready = true;
      emit({ kind: 'ready' });
      return;
    }
    if (status.stale && !wasStale) {
      report(status.lastError ?? new Error(status.staleReason), { source: 'status' });
      emit({ kind: 'stale', message: status.staleReason ?? 'the configuration source is stale' });
    } else if (!status.stale && wasStale) {
      emit({ kind: 'ready' });
    }
  };

  const onChange = (): void => {
    const next = versionsOf(client);
    const flagsChanged = [...next].filter(([key, version]) => versions.get(key) !== version).map(([key]) => key);
    versions = next;
    check();
    if (ready && flagsChanged.length > 0) emit({ kind: 'changed', flagsChanged });
  };

  const waitForSource = async (): Promise<void> => {
    const given = options.ready;
    if (given === undefined) return;
    const timeout = options.readyTimeout ?? 10_000;
    let timeoutId: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timeoutId = setTimeout(
        () => reject(new Error(`Bucketry provider: no configuration came within ${timeout} ms (readyTimeout); flags resolve to their defaults with PROVIDER_NOT_READY until one does`)),
        timeout,
      );
    });
    const loading = Promise.resolve()
      .then(() => (typeof given === 'function' ? given() : given))
      .catch((error: unknown) => {
        throw new Error(`Bucketry provider: ready failed (${error instanceof Error ? error.message : String(error)}); flags resolve to their defaults with PROVIDER_NOT_READY until a set comes`, { cause: error });
      });
    try {
      await Promise.race([loading, late]);
    } finally {
      clearTimeout(timeoutId);
    }
    const status = client.status();
    if (status.source === 'code') {
      throw new Error(
        `Bucketry provider: the client's source loaded no set, and there was no last-known-good copy or bootstrap (${status.staleReason ?? 'no update came'}); flags resolve to their defaults with PROVIDER_NOT_READY until one does`,
      );
    }
  };

  return {
    isReady: (): boolean => ready,
    check,
    async initialize(): Promise<void> {
      unsubscribe ??= client.onChange(onChange);
      if (timer === undefined) {
        timer = setInterval(check, options.statusInterval ?? 1_000);
        (timer as { unref?: () => void }).unref?.();
      }
      initializing = true;
      try {
        await waitForSource();
      } finally {
        initializing = false;
      }
      ready = true;
      versions = versionsOf(client);
      seen = undefined; // a source stale at start shows as PROVIDER_STALE at the first look after READY
    },
    close(): void {
      unsubscribe?.();
      unsubscribe = undefined;
      clearInterval(timer);
      timer = undefined;
      ready = false;
    },
  };
}
