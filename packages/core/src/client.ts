import { assignVariant, type AssignOptions, type Assignment } from './assign.js';
import { createStatusTracker, type BucketryStatus } from './config-status.js';
import type { ExperimentJSON } from './experiment-json.js';
import type { Attributes } from './eligibility.js';
import { ExperimentConfigError, errorText } from './errors.js';
import type { Experiment } from './experiment.js';
import type { DefinedExperiment, ExperimentDefinition, ExperimentKey as KeyOf, VariantOf } from './experiment-types.js';
import { prepareSet } from './live-set.js';
import { exposureFor, type ExposureEvent, type ExposureSink, type InterleavingRecord } from './exposure.js';
import type { Interleaving } from './interleave.js';
import { createRecentExposures, rememberedOf, writeRemembered } from './sinks/dedupe.js';
import type { StickyStore } from './sticky.js';
import type { Unit } from './unit.js';

/**
 * Where a reported error came from.
 *
 * @example
 * ```ts
 * createBucketry({
 *   experiments: [skillTree],
 *   onError: (error, context: BucketryErrorContext) => log.warn({ error, source: context.source, experiment: context.experiment }),
 * });
 * ```
 */
export interface BucketryErrorContext {
  readonly source: 'sink' | 'assignment' | 'sticky' | 'config';
  readonly experiment?: string;
  readonly event?: ExposureEvent;
}

/**
 * Options of {@link createBucketry}.
 *
 * @example
 * ```ts
 * const options: BucketryOptions = { experiments: [skillTree], sink, onError: (error) => log.warn(error) };
 * createBucketry(options);
 * ```
 */
export interface BucketryOptions<E extends ExperimentDefinition = Experiment> {
  /** The experiments, defined or as JSON configs (which are defined here, rules and all). */
  readonly experiments: readonly (E | ExperimentJSON)[];
  /** Where exposures go. Without one, nothing is emitted. */
  readonly sink?: ExposureSink;
  /** Told about sink failures, eligibility predicates that threw, sticky stores that failed. Never rethrown. */
  readonly onError?: (error: unknown, context: BucketryErrorContext) => void;
  /** Keeps units on their first variant. */
  readonly sticky?: StickyStore;
  /**
   * Write each (experiment, unit, variant) once, remembering this many; `false` writes every exposure. Default 10,000.
   */
  readonly dedupe?: number | false;
  /** The clock for event timestamps (ms since the epoch). Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * What one call of {@link Bucketry.assign} or {@link Bucketry.peek} may add: a variant forced
 * for this call only, such as an HTTP QA override.
 *
 * @example
 * ```ts
 * const options: CallOptions = { override: 'list' };
 * bucketry.peek('skill_tree_layout', 'qa-1', undefined, options).reason; // 'override'
 * ```
 */
export type CallOptions = Pick<AssignOptions, 'override'>;


/**
 * A set of experiments with a sink: assign and expose in one call.
 *
 * @example
 * ```ts
 * const bucketry: Bucketry = createBucketry({ experiments: [skillTree] });
 * process.on('SIGTERM', () => void bucketry.close());
 * ```
 */
export interface Bucketry<E extends Experiment = Experiment> {
  /**
   * Assigns and, when the unit is in the experiment, writes its exposure to the sink. `options.override`
   * forces a variant for this call (a QA override): never over the kill switch, never exposed.
   */
  assign<K extends KeyOf<E>>(key: K, unit: Unit | null | undefined, attributes?: Attributes | null, options?: CallOptions): Assignment<VariantOf<E, K>>;
  /** Assigns without exposing: for deciding before anything is shown. */
  peek<K extends KeyOf<E>>(key: K, unit: Unit | null | undefined, attributes?: Attributes | null, options?: CallOptions): Assignment<VariantOf<E, K>>;
  /**
   * Writes the exposure for an assignment made with `peek`, once it is shown; or for a list from
   * {@link interleave}, once per unit, query and list, recording its items and their teams.
   */
  expose(shown: Assignment | Interleaving): void;
  /** The experiment with this key. Throws for an unknown key. */
  experiment<K extends KeyOf<E>>(key: K): Experiment<K, VariantOf<E, K>>;
  /** Every experiment in force, in the order given. */
  readonly experiments: readonly E[];
  /**
   * Replaces the experiments in force, as a configuration source does when a rollout changes.
   * The new set is validated in full first (every config, the set as a whole, and that it drops
   * none of the experiments in force: stop one with `enabled: false`); then it replaces the old
   * one at once, so an assignment sees one set or the other, never a mix. An invalid set throws
   * {@link ExperimentConfigError} naming the field, the value and the rule, and the last good set
   * stays in force. Returns the version now in force.
   */
  update(experiments: readonly (E | ExperimentJSON)[], source?: string): string;
  /**
   * Tells the client that its source failed (unreachable, or it sent an invalid set): the status
   * turns stale with the reason, and the last good set stays in force. The next update clears it.
   */
  reportSourceError(reason: string, error?: unknown): void;
  /** Ready, the version in force, when and where it was loaded, whether it is stale and why, the last error. */
  status(): BucketryStatus;
  /** Calls `listener` after each update that changes the set in force. Returns the unsubscribe. */
  onChange(listener: (status: BucketryStatus) => void): () => void;
  /** Delivers what the sink still queues. */
  flush(): Promise<void>;
  /** Delivers what the sink still queues and closes it. */
  close(): Promise<void>;
}

/**
 * Creates a client over a set of experiments: `assign` decides and emits the exposure through
 * the sink. The set is checked as a whole (unique keys, disjoint layer slices, consistent
 * holdouts) so mistakes surface at start-up. A sink that throws, rejects or hangs never breaks
 * or slows `assign`; its error goes to `onError`.
 *
 * @example
 * ```ts
 * import { createBucketry, createMemorySink } from '@bucketry/core';
 *
 * const bucketry = createBucketry({
 *   experiments: [{ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 10 }],
 *   sink: createMemorySink(),
 *   onError: (error, context) => console.warn('bucketry', context.source, error),
 * });
 * const { variant } = bucketry.assign('skill_tree_layout', 'user-42');
 * ```
 */
export function createBucketry<const D extends ExperimentDefinition>(options: BucketryOptions<D>): Bucketry<DefinedExperiment<D>> {
  type E = DefinedExperiment<D>;
  let given: BucketryOptions<D>;
  // Read once, so that options whose getters or Proxy traps throw are an ExperimentConfigError, not a crash later.
  try {
    const { experiments, sink, onError, sticky, dedupe, now } = options ?? ({} as BucketryOptions<D>);
    given = { experiments, sink, onError, sticky, dedupe, now };
  } catch (error) {
    throw new ExperimentConfigError('options', error, `could not be read: a getter or Proxy trap threw ${errorText(error)}`);
  }
  options = given;
  let live = prepareSet<E>(options.experiments);
  const onError = options.onError ?? (() => {});
  const report = (error: unknown, context: BucketryErrorContext): void => {
    try {
      onError(error, context);
    } catch {
      // An error handler that throws must not turn a reported failure into a crash.
    }
  };
  const dedupe = options.dedupe ?? 10_000;
  const sink = options.sink;
  // Checked before an event is built, so a repeat exposure costs one Map lookup and a short scan.
  const recent = sink && dedupe !== false ? createRecentExposures(dedupe) : undefined;
  const now = options.now ?? Date.now;
  const sticky = options.sticky;
  const tracker = createStatusTracker(live.version, now, (error) => report(error, { source: 'config' }));

  const experiment = (key: string): E => {
    const found = live.byKey.get(key);
    if (!found) throw new ExperimentConfigError('key', key, `must name a known experiment (${[...live.byKey.keys()].join(', ')})`);
    return found;
  };

  const stickyOnly: AssignOptions | undefined = sticky && { sticky };
  const decide = (found: E, unit: Unit | null | undefined, attributes?: Attributes | null, call?: CallOptions): Assignment => {
    const override = call?.override;
    const assignment = assignVariant(found, unit, attributes, override === undefined ? stickyOnly : { override, sticky });
    if (assignment.error !== undefined) {
      report(assignment.error, { source: assignment.reason === 'error' ? 'assignment' : 'sticky', experiment: found.key });
    }
    return assignment;
  };

  // `assign` passes the experiment it already found; the public `expose` looks it up. An
  // interleaved list's exposure records the list, and is remembered by its query and list as well.
  const expose = (assignment: Assignment, found = live.byKey.get(assignment.experiment), interleaving?: InterleavingRecord): void => {
    if (!sink || !found || !assignment.inExperiment) return;
    const remembered = rememberedOf(assignment, interleaving);
    if (recent && !recent.add(remembered)) return;
    const plain = exposureFor(assignment, found.version, now())!;
    const event: ExposureEvent = interleaving === undefined ? plain : { ...plain, interleaving };
    void writeRemembered(sink, event, recent, (error) => report(error, { source: 'sink', experiment: event.experiment, event }), remembered);
  };
  // Only a merged list is exposed: control's units see ranking A alone (docs/spec.md §13).
  const exposeList = ({ assignment, interleaved, query, method, items }: Interleaving): void => {
    if (interleaved) expose(assignment, undefined, { query, method, items: items.map((item) => item.id), teams: items.map((item) => item.team) });
  };

  const bucketry: Bucketry<E> = {
    assign(key, unit, attributes, call) {
      const found = experiment(key);
      const assignment = decide(found, unit, attributes, call);
      expose(assignment, found);
      return assignment as never;
    },
    peek: ((key: string, unit: Unit | null | undefined, attributes?: Attributes | null, call?: CallOptions) =>
      decide(experiment(key), unit, attributes, call)) as never,
    expose: (shown) => ('items' in shown ? exposeList(shown) : expose(shown)),
    experiment: experiment as never,
    // A data property that update() rewrites, not a getter: V8 keeps an object literal with a
    // getter in dictionary mode, which cost every assign and peek about 4 ns (bench/compare-core.mjs).
    experiments: live.experiments,
    update(experiments, source = 'update') {
      try {
        live = prepareSet(experiments, live);
      } catch (error) {
        tracker.failed(`${source} sent an invalid set of experiments; the last good one stays in force`, error);
        throw error;
      }
      (bucketry as { experiments: readonly E[] }).experiments = live.experiments;
      tracker.loaded(live.version, source);
      return live.version;
    },
    reportSourceError: (reason, error) => tracker.failed(reason, error),
    status: tracker.current,
    onChange: tracker.subscribe,
    flush: () => sink?.flush?.() ?? Promise.resolve(),
    close: () => sink?.close?.() ?? Promise.resolve(),
  };
  return bucketry;
}
