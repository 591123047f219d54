import type { Assignment, Experiment } from '@bucketry/core';
import { RequestAssignments, type ExperimentKey, type HttpSettings, type RequestUnit, type VariantOf } from '@bucketry/http';
import type { Request } from 'express';
import { ExpressExchange } from './express-exchange.js';
import type { ExpressRequest, ExpressResponse } from './express-types.js';

/**
 * The experiments of one request, at `res.locals.experiments` by default. Nothing is decided
 * until a handler asks: an experiment nobody reads on a request is neither assigned nor exposed.
 *
 * @example
 * ```ts
 * app.get('/api/v1/skills/tree', experiments('skill_tree_layout'), (req, res) => {
 *   const layout = res.locals.experiments.variant('skill_tree_layout'); // 'tree' | 'list'
 *   res.json(layout === 'list' ? skillsAsList() : skillsAsTree());
 * });
 * ```
 */
export interface RequestExperiments<E extends Experiment = Experiment, K extends string = ExperimentKey<E>> {
  /**
   * The variant to show. The first call on a request assigns, sets `X-Experiment-<Name>` and the
   * `exp_<key>` cookie, and writes the exposure (once per unit and variant). Never throws for a
   * known experiment: failures fall back to control and go to `onError`.
   */
  variant<Key extends K>(key: Key): VariantOf<E, Key>;
  /** Like {@link RequestExperiments.variant}, with the reason, bucket and unit. */
  assignment<Key extends K>(key: Key): Assignment<VariantOf<E, Key>>;
  /**
   * Decides without exposing and without the experiment's header and cookie: for deciding
   * before anything is shown, or for recording an outcome. (A new visitor still gets the
   * anonymous-id cookie, so that the decision holds on the next request.)
   */
  peek<Key extends K>(key: Key): Assignment<VariantOf<E, Key>>;
  /** The variants of every experiment named for this route, each shown as by `variant`. */
  variants(): { [P in K]: VariantOf<E, P> };
  /** Who the request is about; issues the anonymous-id cookie if that is needed and not done yet. */
  unit(): RequestUnit;
  /** The experiments named for this route. */
  readonly keys: readonly K[];
}

/**
 * The {@link RequestExperiments} of one Express request, what the middleware puts on `res.locals`:
 * the keys its routes named over the shared per-request rules of `@bucketry/http`. Private fields
 * keep `req` and `res` out of anything that serializes or inspects `res.locals`.
 * @internal
 */
export class ExpressRequestExperiments {
  readonly #settings: HttpSettings<Request>;
  readonly #assignments: RequestAssignments<Request>;
  #keys: readonly string[];

  constructor(settings: HttpSettings<Request>, req: ExpressRequest, res: ExpressResponse, keys: readonly string[]) {
    this.#settings = settings;
    this.#assignments = new RequestAssignments(settings, new ExpressExchange(req, res));
    this.#keys = keys;
  }

  /** Whether this object belongs to the middleware with these settings. */
  static belongsTo(value: unknown, settings: HttpSettings<Request>): value is ExpressRequestExperiments {
    return value instanceof ExpressRequestExperiments && value.#settings === settings;
  }

  /** A second middleware of the same factory on the same request adds its experiments. */
  static addKeys(target: ExpressRequestExperiments, keys: readonly string[]): void {
    const missing = keys.filter((key) => !target.#keys.includes(key));
    if (missing.length > 0) target.#keys = [...target.#keys, ...missing];
  }

  get keys(): readonly string[] {
    return this.#keys;
  }

  variant(key: string): string {
    return this.assignment(key).variant;
  }

  assignment(key: string): Assignment {
    return this.#assignments.show(key);
  }

  peek(key: string): Assignment {
    return this.#assignments.peek(key);
  }

  variants(): Record<string, string> {
    const result: Record<string, string> = {};
    for (const key of this.#keys) result[key] = this.variant(key);
    return result;
  }

  unit(): RequestUnit {
    return this.#assignments.unit();
  }

  /** With a sticky store: loads the unit's records; what to await before `next()` (see `RequestAssignments.loadSticky`). */
  loadSticky(): Promise<void> | undefined {
    return this.#assignments.loadSticky();
  }

  /** What `JSON.stringify(res.locals)` shows: the variants shown so far. */
  toJSON(): Record<string, string> {
    return this.#assignments.shown();
  }
}
