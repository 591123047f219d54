import {
  ExperimentConfigError,
  exposureFor,
  fallbackAssignment,
  withDedupe,
  type Assignment,
  type Attributes,
  type Bucketry,
  type ExposureSink,
  type Unit,
} from '@bucketry/core';

/**
 * What `useExperiment` returns: core's `Assignment`. Its `reason` is `'server'` for a variant a
 * server sent alone (its header or cookie, read by `assignmentsFromHeaders` or
 * `assignmentsFromCookies`), with `inExperiment: false`, `bucket: -1` and `unit: ''` since the
 * page cannot know them.
 *
 * @example
 * ```ts
 * const { variant, reason }: ExperimentAssignment<'tree' | 'list'> = useExperiment('skill_tree_layout', 'tree');
 * if (reason === 'server') console.debug('layout chosen by the API:', variant);
 * ```
 */
export type ExperimentAssignment<V extends string = string> = Assignment<V>;

/**
 * An assignment the server already decided: an {@link ExperimentAssignment} as plain data (no `error`), e.g.
 * parsed from a header the server forwarded, or passed down as props. `configVersion`, when the
 * server sends it, labels the exposure event the provider writes to its `sink`.
 *
 * @example
 * ```ts
 * const fromServer: BootstrapAssignment = {
 *   experiment: 'skill_tree_layout', variant: 'list', inExperiment: true, reason: 'bucketed',
 *   bucket: 81234, unit: 'user-42', configVersion: '3690faca',
 * };
 * ```
 */
export interface BootstrapAssignment<V extends string = string> extends Omit<ExperimentAssignment<V>, 'error'> {
  readonly configVersion?: string;
}

/**
 * What {@link ExperimentProvider}'s `onError` is told along with the error.
 * - `unknown_experiment`: `useExperiment(key)` for a key neither the assignments nor the client know; the hook returned its fallback
 * - `assignments`: a bootstrap assignment was not usable (its experiment, variant or inExperiment); it was ignored
 * - `exposure`: the sink or the client's `expose` threw or rejected; the render went on
 *
 * @example
 * ```ts
 * const onError = (error: unknown, context: ExperimentErrorContext) =>
 *   console.warn('bucketry', context.source, context.experiment, error);
 * ```
 */
export interface ExperimentErrorContext {
  readonly source: 'unknown_experiment' | 'assignments' | 'exposure';
  readonly experiment?: string;
}

/** The provider's props that decide assignments and exposures. */
export interface ExperimentSource {
  /** A client from `createBucketry`: assigns `unit` on the client and exposes through `client.expose` (which de-duplicates). */
  readonly client?: Bucketry<any> | null;
  /** Who is assigned with `client`: a user id, a compound unit, or `null` before sign-in (control, `missing_unit`). */
  readonly unit?: Unit | null;
  /** What the experiments' eligibility rules look at, with `client`. */
  readonly attributes?: Attributes | null;
  /** Assignments the server decided; they win over `client` for their experiments, so the first render matches the server's HTML. */
  readonly assignments?: readonly BootstrapAssignment[] | null;
  /** Without `client`: where the exposures of bootstrapped assignments go. Without either, nothing is exposed (the server did it). */
  readonly sink?: ExposureSink | null;
  /** Told about unknown experiments, unusable assignments and failed exposures. Never rethrown. */
  readonly onError?: ((error: unknown, context: ExperimentErrorContext) => void) | null;
}

/**
 * One provider's assignments, outside React so hooks can read them with `useSyncExternalStore`.
 * @internal
 */
export interface ExperimentStore {
  subscribe(listener: () => void): () => void;
  /** The assignment to show for `key`: the server's, else the client's, else `fallback`. Pure, so safe in render. */
  get(key: string, fallback: string): ExperimentAssignment;
  /** Takes the provider's latest props and tells the subscribers when an assignment they read changed. */
  update(source: ExperimentSource): void;
  /** For effects: reports what went wrong so far (once each) and, given a key, exposes its current assignment. */
  commit(key?: string, fallback?: string): void;
}

// What an assignment depends on. A new sink or onError alone (an inline handler is new on every
// render of the provider's parent) is taken without deciding every experiment again.
const INPUTS = ['client', 'unit', 'attributes', 'assignments'] as const;

// One de-duplicating wrapper per sink, shared by every provider given that sink: a provider that
// remounts (a route change) does not expose again.
const dedupedSinks = new WeakMap<ExposureSink, ExposureSink>();

const SAME = ['variant', 'inExperiment', 'reason', 'unit', 'bucket', 'configVersion'] as const;

/** @internal */
export function createExperimentStore(initial: ExperimentSource): ExperimentStore {
  let source = initial;
  const listeners = new Set<() => void>();
  // Per key and fallback: [key, fallback, the assignment last shown].
  const cache = new Map<string, [string, string, ExperimentAssignment]>();
  // Problems found while rendering wait here for an effect to report them, each once (then null).
  const problems = new Map<string, [unknown, ExperimentErrorContext] | null>();
  const note = (id: string, error: unknown, context: ExperimentErrorContext): void => {
    if (!problems.has(id)) problems.set(id, [error, context]);
  };
  const report = (error: unknown, context: ExperimentErrorContext): void => {
    try {
      source.onError?.(error, context);
    } catch {
      // An error handler that throws must not turn a reported failure into a broken render.
    }
  };

  const indexAssignments = (assignments: ExperimentSource['assignments']): Map<string, BootstrapAssignment> => {
    const byKey = new Map<string, BootstrapAssignment>();
    if (assignments != null && !Array.isArray(assignments)) {
      note('assignments[]', new ExperimentConfigError('assignments', assignments, 'must be an array of assignments'), { source: 'assignments' });
      return byKey;
    }
    assignments?.forEach((a, i) => {
      const entry = (a ?? {}) as Partial<Record<string, unknown>>;
      const experiment = typeof entry.experiment === 'string' ? entry.experiment : undefined;
      const field = !experiment ? 'experiment' : typeof entry.variant !== 'string' || !entry.variant ? 'variant' : typeof entry.inExperiment !== 'boolean' ? 'inExperiment' : '';
      if (!field) return void byKey.set(experiment!, a);
      const name = `assignments[${i}].${field}`;
      note(name, new ExperimentConfigError(name, entry[field], field === 'inExperiment' ? 'must be a boolean' : 'must be a non-empty string'), { source: 'assignments', experiment });
    });
    return byKey;
  };
  let given = indexAssignments(initial.assignments);

  const decide = (key: string, fallback: string): ExperimentAssignment => {
    const bootstrapped = given.get(key);
    if (bootstrapped) return bootstrapped;
    try {
      if (source.client) return (source.client as Bucketry).peek(key, source.unit, source.attributes);
      throw new ExperimentConfigError('key', key, "must name an experiment in the provider's assignments or client");
    } catch (error) {
      note(key, error, { source: 'unknown_experiment', experiment: key });
      return fallbackAssignment(key, fallback, error);
    }
  };

  const get = (key: string, fallback: string): ExperimentAssignment => {
    const id = key + '\u0000' + fallback;
    let entry = cache.get(id);
    if (!entry) cache.set(id, (entry = [key, fallback, decide(key, fallback)]));
    return entry[2];
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    get,
    update(next) {
      const same = INPUTS.every((field) => next[field] === source[field]);
      if (next.assignments !== source.assignments) given = indexAssignments(next.assignments);
      source = next;
      if (same) return;
      let changed = false;
      for (const entry of cache.values()) {
        const fresh = decide(entry[0], entry[1]);
        // An equal answer keeps its object: subscribers do not re-render, effects do not re-run.
        if (!SAME.every((field) => fresh[field as keyof ExperimentAssignment] === (entry[2] as BootstrapAssignment)[field])) {
          entry[2] = fresh;
          changed = true;
        }
      }
      if (changed) for (const listener of [...listeners]) listener();
    },
    commit(key, fallback = '') {
      for (const [id, problem] of problems) {
        if (problem) {
          problems.set(id, null);
          report(...problem);
        }
      }
      if (key === undefined) return;
      const assignment: BootstrapAssignment = get(key, fallback);
      // A variant a server sent alone was exposed by that server.
      if (!assignment.inExperiment || assignment.reason === 'server') return;
      const { client, sink } = source;
      const failed = (error: unknown): void => report(error, { source: 'exposure', experiment: key });
      try {
        if (client) {
          client.expose(assignment);
        } else if (sink) {
          let deduped = dedupedSinks.get(sink);
          if (!deduped) dedupedSinks.set(sink, (deduped = withDedupe(sink)));
          Promise.resolve(deduped.write(exposureFor(assignment, assignment.configVersion ?? '')!)).catch(failed);
        }
      } catch (error) {
        failed(error);
      }
    },
  };
}
