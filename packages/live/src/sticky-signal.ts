import { ExperimentConfigError } from '@bucketry/core';
import { timeoutArgument } from './sticky-options.js';

/**
 * Anything {@link flushOnSignal} can close: a sticky store, a Bucketry client (whose `close`
 * delivers what its sink queues), a source.
 *
 * @example
 * ```ts
 * const targets: Closable[] = [sticky, bucketry];
 * ```
 */
export interface Closable {
  close(timeout?: number): Promise<unknown>;
}

const CONTEXT = 'flushOnSignal';

/**
 * Closes `targets` when the process gets one of `signals`, so that the records a sticky store
 * still queues are written before it exits (Kubernetes sends SIGTERM, then SIGKILL after its grace
 * period). Each `close` gets `timeout` ms (default 5,000) and reports what it could not write.
 * Then, when no other listener is left for that signal, the signal is raised again, so the process
 * ends as it would have without this handler. When your app has its own shutdown handler, call
 * `await sticky.close()` there instead. Returns a function that removes the handlers.
 *
 * @example
 * ```ts
 * const sticky = createPostgresStickyStore({ connectionString: process.env.DATABASE_URL });
 * const bucketry = createBucketry({ experiments, sticky });
 * flushOnSignal([sticky, bucketry], ['SIGTERM', 'SIGINT']);
 * ```
 */
export function flushOnSignal(
  targets: Closable | readonly Closable[],
  signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
  options: { readonly timeout?: number } = {},
): () => void {
  const list: readonly Closable[] = Array.isArray(targets) ? targets : [targets as Closable];
  list.forEach((target, i) => {
    if (typeof (target as Partial<Closable> | null)?.close !== 'function') {
      throw new ExperimentConfigError(Array.isArray(targets) ? `targets[${i}]` : 'targets', target, 'must have a close() method (a sticky store, a Bucketry client)', CONTEXT);
    }
  });
  if (!Array.isArray(signals) || signals.length === 0 || !signals.every((signal) => typeof signal === 'string' && /^SIG[A-Z0-9]+$/.test(signal))) {
    throw new ExperimentConfigError('signals', signals, "must be a non-empty list of signal names such as 'SIGTERM'", CONTEXT);
  }
  const timeout = timeoutArgument(options?.timeout, CONTEXT);
  let closing = false;
  const remove = (): void => {
    for (const signal of signals) process.removeListener(signal, handle);
  };
  function handle(signal: NodeJS.Signals): void {
    if (closing) return; // a second signal while closing: close is already bounded by its timeout
    closing = true;
    void Promise.allSettled(list.map((target) => target.close(timeout))).then(() => {
      remove();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
  for (const signal of signals) process.on(signal, handle);
  return remove;
}
