// Telling people: a JSON POST per stage change or rollback, Slack-compatible (`text`) with the
// decision's fields beside it. Sent in the background with retries and backoff; the monitor never
// waits for it, and every failure is counted.

import type { Decision } from './types.js';

/**
 * How a webhook has fared: sent, retried attempts that failed, notices given up on.
 *
 * @example
 * ```ts
 * const { sent, failedAttempts, dropped } = webhook.stats();
 * ```
 */
export interface WebhookStats {
  readonly sent: number;
  readonly failedAttempts: number;
  readonly dropped: number;
  readonly pending: number;
}

/**
 * What {@link createWebhook} takes besides the URL.
 *
 * @example
 * ```ts
 * const options: WebhookOptions = { attempts: 8, backoffMs: 2000, onError: (error) => console.error(error.message) };
 * ```
 */
export interface WebhookOptions {
  /** Attempts per notice, default 5. */
  readonly attempts?: number;
  /** First wait before a retry, doubled each time; default 1 s. */
  readonly backoffMs?: number;
  /** Per attempt; default 10 s. */
  readonly timeoutMs?: number;
  /** Told of every failed attempt (a notice is dropped after the last). */
  readonly onError?: (error: Error) => void;
  readonly fetch?: typeof fetch;
}

/**
 * A webhook: `notify` returns at once; `flush` waits for what is in flight (at shutdown).
 *
 * @example
 * ```ts
 * webhook.notify(decision);
 * await webhook.flush();
 * ```
 */
export interface Webhook {
  notify(decision: Decision): void;
  flush(): Promise<void>;
  stats(): WebhookStats;
}

const ICON: Record<Decision['action'], string> = { 'rolled-back': ':rotating_light:', advanced: ':arrow_up:', completed: ':white_check_mark:', 'ready-to-advance': ':raised_hand:', none: '' };

/** The body of one notice: Slack's `text`, then the decision's fields for other receivers. */
function webhookBody(decision: Decision): Record<string, unknown> {
  const { experiment, verdict, reason, action, stageName, percent, toPercent, at, look, message } = decision;
  return {
    text: `${ICON[decision.action]} ${experiment}: ${verdict} (${action}, ${percent}% → ${toPercent}%) — ${message}`.trim(),
    experiment,
    verdict,
    reason,
    action,
    stage: stageName,
    percent,
    toPercent,
    at,
    look,
  };
}

/**
 * A Slack-compatible webhook that never blocks the monitor: each notice is POSTed in the
 * background, retried with doubling waits, and dropped (counted, reported) after the last attempt.
 *
 * @example
 * ```ts
 * const webhook = createWebhook('https://hooks.slack.com/services/…', { onError: (e) => console.error(e.message) });
 * webhook.notify(decision);
 * ```
 */
export function createWebhook(url: string, options: WebhookOptions = {}): Webhook {
  const attempts = options.attempts ?? 5;
  const backoffMs = options.backoffMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const send = options.fetch ?? fetch;
  let sent = 0;
  let failedAttempts = 0;
  let dropped = 0;
  const inFlight = new Set<Promise<void>>();

  async function deliver(body: string): Promise<void> {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await send(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(timeoutMs) });
        if (response.ok) {
          sent++;
          return;
        }
        throw new Error(`webhook answered ${response.status} ${response.statusText}`);
      } catch (error) {
        failedAttempts++;
        const last = attempt === attempts;
        options.onError?.(new Error(`webhook attempt ${attempt} of ${attempts} failed${last ? ', notice dropped' : ''}: ${(error as Error).message}`));
        if (last) {
          dropped++;
          return;
        }
        await new Promise((done) => setTimeout(done, backoffMs * 2 ** (attempt - 1)));
      }
    }
  }

  return {
    notify(decision) {
      const task = deliver(JSON.stringify(webhookBody(decision))).finally(() => inFlight.delete(task));
      inFlight.add(task);
    },
    async flush() {
      await Promise.all([...inFlight]);
    },
    stats: () => ({ sent, failedAttempts, dropped, pending: inFlight.size }),
  };
}
