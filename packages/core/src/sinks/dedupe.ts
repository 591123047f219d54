import type { ExposureEvent, ExposureSink } from '../exposure.js';

/**
 * Options of {@link withDedupe}.
 *
 * @example
 * ```ts
 * withDedupe(sink, { maxKeys: 100_000 } satisfies DedupeOptions);
 * ```
 */
export interface DedupeOptions {
  /** How many (experiment, unit, variant) triples to remember; the oldest are forgotten first. Default 10,000. */
  readonly maxKeys?: number;
}

/**
 * The bounded memory behind {@link withDedupe} and the client: the last `maxKeys` (experiment,
 * unit, variant) triples written.
 * @internal
 */
export interface RecentExposures {
  /** Remembers the triple; returns false when it was already remembered. */
  add(experiment: string, unit: string, variant: string): boolean;
  /** Forgets the triple, e.g. when the write it stood for failed. */
  forget(experiment: string, unit: string, variant: string): void;
}

/**
 * Remembers the last `maxKeys` triples as unit -> variant per experiment. Looking up the unit
 * string as it came (its hash is computed once) costs a third of joining the three into one key
 * on every request. A ring of slots says which entry to forget next, so a full memory costs
 * O(1) per write.
 * @internal
 */
export function createRecentExposures(maxKeys: number): RecentExposures {
  if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError(`maxKeys must be a whole number >= 1, got ${maxKeys}`);
  const byExperiment = new Map<string, Map<string, string>>();
  // Slot i of the three rings: the entry written i-th (modulo maxKeys).
  const ringUnits: Map<string, string>[] = [];
  const units: string[] = [];
  const variants: string[] = [];
  let next = 0;
  const forget = (variantOf: Map<string, string> | undefined, unit: string, variant: string): void => {
    // Only if still the variant remembered: a unit that moved on keeps its newer entry.
    if (variantOf && variantOf.get(unit) === variant) variantOf.delete(unit);
  };
  return {
    add(experiment, unit, variant) {
      let variantOf = byExperiment.get(experiment);
      if (variantOf === undefined) byExperiment.set(experiment, (variantOf = new Map()));
      if (variantOf.get(unit) === variant) return false;
      forget(ringUnits[next], units[next]!, variants[next]!);
      variantOf.set(unit, variant);
      ringUnits[next] = variantOf;
      units[next] = unit;
      variants[next] = variant;
      next = (next + 1) % maxKeys;
      return true;
    },
    forget: (experiment, unit, variant) => forget(byExperiment.get(experiment), unit, variant),
  };
}

/**
 * Writes `event` to `sink`; if the write throws or rejects, forgets it in `recent` (so the next
 * exposure tries again) and hands the error to `failed`.
 * @internal
 */
export function writeRemembered(
  sink: ExposureSink,
  event: ExposureEvent,
  recent: RecentExposures | undefined,
  failed: (error: unknown) => void,
): void | Promise<void> {
  const fail = (error: unknown): void => {
    recent?.forget(event.experiment, event.unit, event.variant);
    failed(error);
  };
  try {
    const pending = sink.write(event);
    if (pending && typeof pending.then === 'function') return pending.then(undefined, fail);
  } catch (error) {
    fail(error);
  }
}

const rethrow = (error: unknown): never => {
  throw error;
};

/**
 * Wraps a sink so that each (experiment, unit, variant) is written once, remembering at most
 * `maxKeys` of them: memory stays bounded, and a unit forgotten and seen again is written again.
 * A unit that moves to another variant (a ramp, a kill switch) is written again, as it should be.
 * A write that throws or rejects is forgotten, so the unit's next exposure is written again.
 *
 * @example
 * ```ts
 * const sink = withDedupe(createMemorySink(), { maxKeys: 50_000 });
 * ```
 */
export function withDedupe<S extends ExposureSink>(sink: S, options: DedupeOptions = {}): ExposureSink {
  const recent = createRecentExposures(options.maxKeys ?? 10_000);
  return {
    write(event: ExposureEvent) {
      return recent.add(event.experiment, event.unit, event.variant) ? writeRemembered(sink, event, recent, rethrow) : undefined;
    },
    flush: () => sink.flush?.() ?? Promise.resolve(),
    close: () => sink.close?.() ?? Promise.resolve(),
  };
}
