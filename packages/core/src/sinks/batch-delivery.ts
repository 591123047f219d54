import type { ExposureEvent } from '../exposure.js';

// setTimeout as every runtime has it (browsers, Node, edge); core's lib has no DOM or Node types.
interface TimerHost {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
/** Looked up on each call, so fake timers installed after import are used. @internal */
export const timers = globalThis as unknown as TimerHost;

/**
 * One batch on its way: `done` resolves with true (delivered), false (every attempt failed) or
 * undefined once `abandon` was called.
 * @internal
 */
export interface Delivery {
  readonly done: Promise<boolean | undefined>;
  /** Gives up on the batch at once: no further attempt, report or timer. */
  abandon(): void;
}

// A plain Error named for the case: a class of its own would only add bytes, as nothing exported
// lets a caller test `instanceof` against it.
const deliveryTimeout = (ms: number, events: number): Error =>
  Object.assign(new Error(`delivery of ${events} exposure events did not settle within ${ms} ms`), { name: 'DeliveryTimeoutError' });

/**
 * Delivers one batch: up to `attempts` attempts, each failing after `timeoutMs`, waiting
 * `backoff(n)` ms before retry n. `failed` hears each failed attempt (`attempt` 1-based, and
 * `last` on the final one). Abandoning clears the one timer that may be pending, so nothing of
 * an abandoned batch keeps a process alive; a deliver still running is left to itself (nothing
 * here can cancel it) and whatever it does later is ignored.
 * @internal
 */
export function startDelivery(
  batch: ExposureEvent[],
  deliver: (events: ExposureEvent[]) => Promise<void> | void,
  attempts: number,
  timeoutMs: number,
  backoff: (retry: number) => number,
  failed: (error: unknown, attempt: number, last: boolean) => void,
): Delivery {
  let timer: unknown;
  let abandoned = false;
  let stop!: () => void;
  const stopped = new Promise<undefined>((resolve) => (stop = () => resolve(undefined)));
  const wait = (ms: number): Promise<void> => new Promise((resolve) => (timer = timers.setTimeout(resolve, ms)));

  /** One attempt: settles with deliver, or rejects after `timeoutMs`. Sync throws become rejections. */
  const attempt = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      // Not unref'd: while a batch is in flight, an awaited flush() must keep the process alive.
      // Its own const: by the time `finally` runs, `timer` may be the backoff's.
      const timeout = (timer = timers.setTimeout(() => reject(deliveryTimeout(timeoutMs, batch.length)), timeoutMs));
      new Promise<void>((settle) => settle(deliver(batch.slice())))
        .then(resolve, reject)
        .finally(() => timers.clearTimeout(timeout));
    });

  const run = async (): Promise<boolean | undefined> => {
    for (let n = 1; n <= attempts; n++) {
      try {
        await attempt();
        return true;
      } catch (error) {
        // Abandoned meanwhile: its late failure is no one's business. (A backoff then never ends.)
        if (abandoned) return undefined;
        failed(error, n, n === attempts);
        if (n < attempts) await wait(backoff(n));
      }
    }
    return false;
  };

  return {
    done: Promise.race([run(), stopped]),
    abandon() {
      abandoned = true;
      timers.clearTimeout(timer);
      stop();
    },
  };
}
