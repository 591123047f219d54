import type { RolloutChange, RolloutRecord, RolloutStore } from '@bucketry/live';

/**
 * One guardrail as the status page draws it: what it measures, its thresholds, the baseline
 * (from `bucketry baseline`), and its value in the treatment and in the concurrent control at
 * each look. Values are fractions for rates, milliseconds for durations.
 *
 * @example
 * ```ts
 * const trend: StatusGuardrail = {
 *   label: 'skill_tree_error rate below 2.0% (rollback above 5.0%)', unit: 'rate', hold: 0.02, rollback: 0.05, baseline: 0.011,
 *   points: [{ at: '2026-12-08T09:00:00.000Z', treatment: 0.012, control: 0.01, verdict: 'proceed' }],
 * };
 * ```
 */
export interface StatusGuardrail {
  readonly label: string;
  /** What the chart plots when it is not the guardrail's metric itself (a percentile is judged by the share of durations above its limit). */
  readonly measure?: string;
  readonly unit: 'rate' | 'ms' | 'value';
  /** From here the guardrail holds; `null` for guardrails judged against control only. */
  readonly hold: number | null;
  /** Above this it rolls back; `null` as for `hold`. */
  readonly rollback: number | null;
  /** The metric over the window before the first stage; `null` without a baseline. */
  readonly baseline: number | null;
  readonly points: readonly { readonly at: string; readonly treatment: number | null; readonly control: number | null; readonly verdict: string }[];
}

/**
 * What the monitor knows beyond the store: the stage it runs, the looks it took (units per
 * variant over time) and each guardrail's trend, and its decisions with their reasons.
 *
 * @example
 * ```ts
 * const view: StatusMonitorView = {
 *   stage: { name: 'canary', index: 0, count: 3, percent: 5, startedAt: '2026-12-08T09:00:00.000Z', minDurationMs: 300_000 },
 *   variants: ['tree', 'list'], looks: [{ at: '2026-12-08T09:01:00.000Z', units: [95, 5] }],
 *   guardrails: [], decisions: [{ at: '2026-12-08T09:01:00.000Z', decision: 'HOLD', reason: 'stage younger than 5m' }],
 * };
 * ```
 */
export interface StatusMonitorView {
  readonly stage: {
    readonly name: string;
    readonly index: number;
    readonly count: number;
    readonly percent: number;
    readonly startedAt: string;
    readonly minDurationMs: number;
  } | null;
  /** Control first. */
  readonly variants: readonly string[];
  /** Units seen so far in the stage, per variant in the order of `variants`, at each look. */
  readonly looks: readonly { readonly at: string; readonly units: readonly number[] }[];
  readonly guardrails: readonly StatusGuardrail[];
  /** Newest last. */
  readonly decisions: readonly { readonly at: string; readonly decision: string; readonly reason: string }[];
}

/** Everything one render of the status page shows, read at once. */
export interface StatusView {
  readonly experiment: string;
  readonly readAt: string;
  readonly storeKind: string;
  /** Null when the store holds no record for the experiment, or could not be read. */
  readonly record: RolloutRecord | null;
  /** Why the store could not be read; the page says so instead of failing. */
  readonly storeError: string | null;
  readonly history: readonly RolloutChange[];
  readonly monitor: StatusMonitorView | null;
  readonly monitorError: string | null;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Reads the page's state: the experiment's record and history from the store (the truth every
 * instance follows), and what the monitor reports. Neither failing throws: the page shows the
 * reason where the value would be.
 */
export async function readStatusView(
  store: RolloutStore,
  experiment: string,
  monitor: (() => Promise<StatusMonitorView | null>) | undefined,
  now: () => Date = () => new Date(),
): Promise<StatusView> {
  const [snapshot, history, monitorView] = await Promise.allSettled([store.read(), store.history(experiment), monitor ? monitor() : Promise.resolve(null)]);
  const storeFailure = snapshot.status === 'rejected' ? snapshot.reason : history.status === 'rejected' ? history.reason : undefined;
  return {
    experiment,
    readAt: now().toISOString(),
    storeKind: store.kind,
    record: snapshot.status === 'fulfilled' ? (snapshot.value.rollouts[experiment] ?? null) : null,
    storeError: storeFailure === undefined ? null : message(storeFailure),
    history: history.status === 'fulfilled' ? history.value : [],
    monitor: monitorView.status === 'fulfilled' ? monitorView.value : null,
    monitorError: monitorView.status === 'rejected' ? message(monitorView.reason) : null,
  };
}
