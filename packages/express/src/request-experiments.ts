import { unitKey, type Assignment, type Attributes, type Bucketry, type Experiment, type Unit } from '@bucketry/core';
import type { Request } from 'express';
import type { HttpRequest, HttpResponse } from './http-types.js';
import { readCookie, serializeCookie, type CookieAttributes } from './cookies.js';
import type { ExpressErrorHandler } from './error-context.js';
import { describeValue } from './http-token.js';
import type { QaOverrideReader } from './qa-override.js';
import { isAnonymousId, newAnonymousId, type UnitCookie } from './unit-cookie.js';

/**
 * The keys of a set of experiments.
 *
 * @example
 * ```ts
 * type Keys = ExperimentKey<typeof skillTree | typeof pricing>; // 'skill_tree_layout' | 'pricing'
 * ```
 */
export type ExperimentKey<E> = E extends Experiment<infer K, string> ? K : never;

/**
 * The variants of the experiment with key `K` in a set of experiments.
 *
 * @example
 * ```ts
 * type Layout = VariantOf<typeof skillTree | typeof pricing, 'skill_tree_layout'>; // 'tree' | 'list'
 * ```
 */
export type VariantOf<E, K extends string> = E extends Experiment<infer EK, infer V> ? (K extends EK ? V : never) : never;

/**
 * Who this request is about.
 * - `user`: the signed-in user (`id` is the unit's canonical key)
 * - `anonymous`: the anonymous-id cookie; `issued` when it was created on this request
 * - `none`: no user and anonymous ids are off, or finding the user failed; everyone gets control
 *
 * @example
 * ```ts
 * const unit = res.locals.experiments.unit();
 * analytics.track({ event: 'session_started_from_tree', ...(unit.kind === 'user' ? { userId: unit.id } : unit.kind === 'anonymous' ? { anonymousId: unit.id } : {}) });
 * ```
 */
export type RequestUnit =
  | { readonly kind: 'user'; readonly id: string }
  | { readonly kind: 'anonymous'; readonly id: string; readonly issued: boolean }
  | { readonly kind: 'none' };

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

/** What every request of one middleware shares. */
export interface RequestSettings {
  readonly client: Bucketry<Experiment>;
  readonly byKey: ReadonlyMap<string, Experiment>;
  readonly user: ((req: Request) => Unit | null | undefined) | undefined;
  readonly attributes: ((req: Request) => Attributes | null | undefined) | undefined;
  readonly unitCookie: UnitCookie | undefined;
  readonly variantCookie: CookieAttributes;
  readonly readOverrides: QaOverrideReader | undefined;
  readonly report: ExpressErrorHandler;
}

type ResolvedUnit =
  | { readonly kind: 'user'; readonly id: string; readonly unit: Unit }
  | { readonly kind: 'anonymous'; readonly id: string; readonly issued: boolean }
  | { readonly kind: 'none' }
  | { readonly kind: 'error'; readonly error: unknown };

const NOT_READ = Symbol('not read');
const FAILED = Symbol('failed');

const fallback = (experiment: Experiment, unit: string, error: unknown): Assignment => ({
  experiment: experiment.key,
  variant: experiment.control,
  inExperiment: false,
  reason: 'error',
  bucket: -1,
  unit,
  error,
});

/** The kill switch as core defines it: `enabled: false` or rollout 0. */
const isLive = (experiment: Experiment): boolean => experiment.enabled && experiment.rollout > 0;

/**
 * The implementation of {@link RequestExperiments}. Private fields keep `req` and `res` out of
 * anything that serializes or inspects `res.locals`.
 * @internal
 */
export class RequestExperimentsImpl {
  readonly #settings: RequestSettings;
  readonly #req: HttpRequest;
  readonly #res: HttpResponse;
  #keys: readonly string[];
  #unit: ResolvedUnit | undefined;
  #attributes: Attributes | null | undefined | typeof NOT_READ | typeof FAILED = NOT_READ;
  #attributesError: unknown;
  #overrides: ReadonlyMap<string, string> | undefined | typeof NOT_READ = NOT_READ;
  /** Decided experiments; `shown` once the header, cookie and exposure are done. Made on first use. */
  #decided: Map<string, { readonly assignment: Assignment; shown: boolean }> | undefined;
  #secure: boolean | undefined;

  constructor(settings: RequestSettings, req: HttpRequest, res: HttpResponse, keys: readonly string[]) {
    this.#settings = settings;
    this.#req = req;
    this.#res = res;
    this.#keys = keys;
  }

  /** Whether this object belongs to the middleware with these settings. */
  static belongsTo(value: unknown, settings: RequestSettings): value is RequestExperimentsImpl {
    return value instanceof RequestExperimentsImpl && value.#settings === settings;
  }

  /** A second middleware of the same factory on the same request adds its experiments. */
  static addKeys(target: RequestExperimentsImpl, keys: readonly string[]): void {
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
    const entry = this.#entry(key);
    if (!entry.shown) {
      entry.shown = true;
      this.#writeResponse(this.#experiment(key), entry.assignment);
      this.#expose(entry.assignment);
    }
    return entry.assignment;
  }

  peek(key: string): Assignment {
    return this.#entry(key).assignment;
  }

  variants(): Record<string, string> {
    const result: Record<string, string> = {};
    for (const key of this.#keys) result[key] = this.variant(key);
    return result;
  }

  unit(): RequestUnit {
    const unit = this.#resolveUnit();
    if (unit.kind === 'user') return { kind: 'user', id: unit.id };
    if (unit.kind === 'error') return { kind: 'none' };
    return unit;
  }

  /** What `JSON.stringify(res.locals)` shows: the variants shown so far. */
  toJSON(): Record<string, string> {
    const shown: Record<string, string> = {};
    for (const [key, entry] of this.#decided ?? []) if (entry.shown) shown[key] = entry.assignment.variant;
    return shown;
  }

  #entry(key: string): { readonly assignment: Assignment; shown: boolean } {
    const experiment = this.#experiment(key);
    this.#decided ??= new Map();
    let entry = this.#decided.get(key);
    if (entry === undefined) {
      let assignment: Assignment;
      try {
        assignment = this.#decide(experiment);
      } catch (error) {
        this.#settings.report(error, { source: 'middleware', experiment: key });
        assignment = fallback(experiment, '', error);
      }
      entry = { assignment, shown: false };
      this.#decided.set(key, entry);
    }
    return entry;
  }

  #experiment(key: string): Experiment {
    const experiment = this.#settings.byKey.get(key);
    if (experiment === undefined) {
      // A programming error (TypeScript rejects it): there is no control to fall back to.
      throw new TypeError(`@bucketry/express: unknown experiment ${describeValue(key)}; known: ${[...this.#settings.byKey.keys()].join(', ')}`);
    }
    return experiment;
  }

  #decide(experiment: Experiment): Assignment {
    const unit = this.#resolveUnit();
    if (unit.kind === 'error') return fallback(experiment, '', unit.error);
    const id = unit.kind === 'none' ? '' : unit.id;
    const attributes = this.#readAttributes();
    if (attributes === FAILED) return fallback(experiment, id, this.#attributesError);

    const forced = this.#readOverrides()?.get(experiment.key);
    if (forced !== undefined && isLive(experiment)) {
      return { experiment: experiment.key, variant: forced, inExperiment: false, reason: 'override', bucket: -1, unit: id };
    }
    return this.#settings.client.peek(experiment.key, unit.kind === 'user' ? unit.unit : unit.kind === 'anonymous' ? unit.id : undefined, attributes);
  }

  #resolveUnit(): ResolvedUnit {
    if (this.#unit !== undefined) return this.#unit;
    const { user, unitCookie, report } = this.#settings;
    if (user !== undefined) {
      let found: Unit | null | undefined;
      try {
        found = user(this.#req as Request);
      } catch (error) {
        report(error, { source: 'unit' });
        return (this.#unit = { kind: 'error', error });
      }
      if (found !== undefined && found !== null && found !== '') {
        const id = unitKey(found);
        if (id === undefined) {
          const error = new TypeError(
            `@bucketry/express: user(req) must return a non-empty string, a compound unit of non-empty fields, or null/undefined for anonymous; got ${describeValue(found)}`,
          );
          report(error, { source: 'unit' });
          return (this.#unit = { kind: 'error', error });
        }
        return (this.#unit = { kind: 'user', id, unit: found });
      }
    }
    if (unitCookie === undefined) return (this.#unit = { kind: 'none' });
    const existing = readCookie(this.#req.headers.cookie, unitCookie.name);
    if (isAnonymousId(existing)) return (this.#unit = { kind: 'anonymous', id: existing, issued: false });
    // Missing, tampered or foreign: issue a fresh id.
    const id = newAnonymousId();
    this.#setCookie(unitCookie.name, id, unitCookie.attributes);
    return (this.#unit = { kind: 'anonymous', id, issued: true });
  }

  #readAttributes(): Attributes | null | undefined | typeof FAILED {
    if (this.#attributes !== NOT_READ) return this.#attributes;
    const read = this.#settings.attributes;
    if (read === undefined) return (this.#attributes = undefined);
    try {
      return (this.#attributes = read(this.#req as Request));
    } catch (error) {
      this.#attributesError = error;
      this.#settings.report(error, { source: 'attributes' });
      return (this.#attributes = FAILED);
    }
  }

  #readOverrides(): ReadonlyMap<string, string> | undefined {
    if (this.#overrides !== NOT_READ) return this.#overrides;
    const read = this.#settings.readOverrides;
    return (this.#overrides = read === undefined ? undefined : read(this.#req));
  }

  #writeResponse(experiment: Experiment, assignment: Assignment): void {
    const res = this.#res;
    if (res.headersSent) {
      this.#settings.report(new Error(`response already started; ${experiment.header} and ${experiment.cookie} not set`), {
        source: 'response',
        experiment: experiment.key,
      });
      return;
    }
    try {
      // Both names come from the validated key, the value from the validated variants.
      res.setHeader(experiment.header, assignment.variant);
      // The cookie mirrors the assignment; it is never read as input. Rewritten whenever it
      // differs: missing, tampered, unknown, stale after a kill switch or a QA override.
      if (readCookie(this.#req.headers.cookie, experiment.cookie) !== assignment.variant) {
        this.#setCookie(experiment.cookie, assignment.variant, this.#settings.variantCookie);
      }
    } catch (error) {
      this.#settings.report(error, { source: 'response', experiment: experiment.key });
    }
  }

  #setCookie(name: string, value: string, attributes: CookieAttributes): void {
    const res = this.#res;
    if (res.headersSent) {
      this.#settings.report(new Error(`response already started; cookie ${name} not set`), { source: 'response' });
      return;
    }
    try {
      // Express computes req.secure on each read (trust proxy, X-Forwarded-Proto): once is enough.
      this.#secure ??= this.#req.secure === true;
      const cookie = serializeCookie(name, value, attributes, this.#secure);
      const previous = res.getHeader('Set-Cookie');
      res.setHeader(
        'Set-Cookie',
        previous === undefined ? [cookie] : Array.isArray(previous) ? [...previous, cookie] : [String(previous), cookie],
      );
    } catch (error) {
      this.#settings.report(error, { source: 'response' });
    }
  }

  #expose(assignment: Assignment): void {
    try {
      if (assignment.reason === 'override') {
        // Core exposes only units in the experiment; a QA override is exposed too, marked by its reason.
        if (assignment.unit !== '') this.#settings.client.expose({ ...assignment, inExperiment: true });
      } else {
        this.#settings.client.expose(assignment);
      }
    } catch (error) {
      this.#settings.report(error, { source: 'sink', experiment: assignment.experiment });
    }
  }
}
