/**
 * What a service can report about the configuration in force, from {@link Bucketry.status}.
 *
 * @example
 * ```ts
 * app.get('/health', (req, res) => {
 *   const status: BucketryStatus = bucketry.status();
 *   res.status(status.stale ? 503 : 200).json(status);
 * });
 * ```
 */
export interface BucketryStatus {
  /** Whether a set of experiments is in force (always, once the client exists). */
  readonly ready: boolean;
  /** The version of the set in force: 8 hex digits that change whenever its content does. */
  readonly version: string;
  /** When that set was loaded (ms since the epoch, from the client's clock). */
  readonly loadedAt: number;
  /** Where it came from: `'code'` for the experiments given to `createBucketry`, else the source's name. */
  readonly source: string;
  /** Whether a source said the set may be out of date (it could not reach its store, or sent something invalid). */
  readonly stale: boolean;
  /** Why it is stale, in words; `undefined` when it is not. */
  readonly staleReason: string | undefined;
  /** The last error a source or an update reported, kept after it recovers; `undefined` if none. */
  readonly lastError: unknown;
}

/**
 * Tracks {@link BucketryStatus} and tells listeners when the set in force changes.
 * @internal
 */
export function createStatusTracker(version: string, now: () => number, report: (error: unknown) => void) {
  let status: BucketryStatus = { ready: true, version, loadedAt: now(), source: 'code', stale: false, staleReason: undefined, lastError: undefined };
  const listeners = new Set<(status: BucketryStatus) => void>();
  return {
    current: (): BucketryStatus => status,
    loaded(version: string, source: string): void {
      const changed = version !== status.version;
      status = { ...status, version, loadedAt: now(), source, stale: false, staleReason: undefined };
      if (!changed) return;
      for (const listener of listeners) {
        try {
          listener(status);
        } catch (error) {
          report(error); // a listener that throws must neither stop the others nor undo the change
        }
      }
    },
    failed(reason: string, error: unknown): void {
      status = { ...status, stale: true, staleReason: reason, lastError: error };
    },
    subscribe(listener: (status: BucketryStatus) => void): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
