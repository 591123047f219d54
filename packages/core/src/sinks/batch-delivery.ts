import type { ExposureEvent } from '../exposure.js';
import type { DeliverySignal } from './batching-sink-options.js';

// setTimeout and AbortController as every runtime has them (browsers, Node, edge); core's lib has
// no DOM or Node types.
interface RuntimeHost {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  readonly AbortController?: new () => { readonly signal: DeliverySignal; abort(reason?: unknown): void };
}
/** Looked up on each call, so fake timers installed after import are used. @internal */
export const timers = globalThis as unknown as RuntimeHost;

/**
 * One batch on its way: `done` resolves with true (delivered), false (given up on) or undefined
 * once `abandon` was called.
 * @internal
 */
export interface Delivery {
  readonly done: Promise<boolean | undefined>;
  /** Gives up on the batch at once: the attempt running is aborted; no further attempt, report or timer. */
  abandon(): void;
}

/**
 * How a batch is retried: at most `attempts` attempts, each failing after `timeoutMs`; before
 * retry n, `backoff(n)` ms or the error's `retryAfterMs`, whichever is longer; no retry that would
 * start `budgetMs` or more after the first attempt began.
 * @internal
 */
export interface RetryPlan {
  readonly attempts: number;
  readonly timeoutMs: number;
  readonly budgetMs: number;
  readonly backoff: (retry: number) => number;
}

// A plain Error named for the case: a class of its own would only add bytes, as nothing exported
// lets a caller test `instanceof` against it.
const deliveryTimeout = (ms: number, events: number): Error =>
  Object.assign(new Error(`delivery of ${events} exposure events did not settle within ${ms} ms`), { name: 'DeliveryTimeoutError' });

/** The wait a failed attempt asks for (an HTTP `Retry-After`), 0 when it asks for none. */
const retryAfter = (error: unknown): number => {
  const ms = (error as { retryAfterMs?: unknown } | null | undefined)?.retryAfterMs;
  // NaN fails the comparison; Infinity asks for more than any budget.
  return typeof ms === 'number' && ms > 0 ? ms : 0;
};

/**
 * Delivers one batch as `plan` says. `failed` hears each failed attempt (`attempt` 1-based, and
 * `last` when the batch is given up on after it). Each attempt gets an AbortSignal (where the
 * runtime has AbortController) that aborts when the attempt times out or the batch is abandoned,
 * so a request can be cancelled instead of left open. Abandoning clears the one timer that may be
 * pending, so nothing of an abandoned batch keeps a process alive; whatever a deliver that ignores
 * its signal does later is ignored.
 * @internal
 */
export function startDelivery(
  batch: ExposureEvent[],
  deliver: (events: ExposureEvent[], signal?: DeliverySignal) => Promise<void> | void,
  plan: RetryPlan,
  failed: (error: unknown, attempt: number, last: boolean) => void,
): Delivery {
  let timer: unknown;
  let abandoned = false;
  /** The running attempt's, where the runtime has AbortController. */
  let controller: { readonly signal: DeliverySignal; abort(reason?: unknown): void } | undefined;
  let stop!: () => void;
  const stopped = new Promise<undefined>((resolve) => (stop = () => resolve(undefined)));
  const wait = (ms: number): Promise<void> => new Promise((resolve) => (timer = timers.setTimeout(resolve, ms)));

  /** One attempt: settles with deliver, or rejects after `timeoutMs`. Sync throws become rejections. */
  const attempt = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const own = (controller = timers.AbortController && new timers.AbortController());
      // Not unref'd: while a batch is in flight, an awaited flush() must keep the process alive.
      // Its own const: by the time `finally` runs, `timer` may be the backoff's.
      const timeout = (timer = timers.setTimeout(() => {
        const error = deliveryTimeout(plan.timeoutMs, batch.length);
        own?.abort(error);
        reject(error);
      }, plan.timeoutMs));
      new Promise<void>((settle) => settle(deliver(batch.slice(), own?.signal)))
        .then(resolve, reject)
        .finally(() => timers.clearTimeout(timeout));
    });

  const run = async (): Promise<boolean | undefined> => {
    const budgetEnds = Date.now() + plan.budgetMs;
    for (let n = 1; ; n++) {
      try {
        await attempt();
        return true;
      } catch (error) {
        // Abandoned meanwhile: its late failure is no one's business. (A backoff then never ends.)
        if (abandoned) return undefined;
        // Never sooner than the endpoint asked; a wait that ends past the budget is not waited out.
        const pause = n < plan.attempts ? Math.max(plan.backoff(n), retryAfter(error)) : Infinity;
        const last = Date.now() + pause >= budgetEnds;
        failed(error, n, last);
        if (last) return false;
        await wait(pause);
      }
    }
  };

  return {
    done: Promise.race([run(), stopped]),
    abandon() {
      abandoned = true;
      timers.clearTimeout(timer);
      // The runtime's own reason: an AbortError.
      controller?.abort();
      stop();
    },
  };
}
