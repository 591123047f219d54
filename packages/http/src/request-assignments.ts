import { unitKey, type Assignment, type Attributes, type Experiment, type Unit } from '@bucketry/core';
import { isAnonymousId, newAnonymousId } from './anonymous-id.js';
import { hasCookieValue, readCookie, serializeCookie, type CookieAttributes } from './cookies.js';
import { describeValue } from './option-error.js';
import type { HttpSettings } from './settings.js';

/**
 * Who a request is about.
 * - `user`: the signed-in user (`id` is the unit's canonical key)
 * - `anonymous`: the anonymous-id cookie; `issued` when it was created on this request
 * - `none`: no user and anonymous ids are off, or finding the user failed; everyone gets control
 *
 * @example
 * ```ts
 * const unit: RequestUnit = assignments.unit();
 * if (unit.kind === 'anonymous' && unit.issued) analytics.track({ event: 'first_visit', anonymousId: unit.id });
 * ```
 */
export type RequestUnit =
  | { readonly kind: 'user'; readonly id: string }
  | { readonly kind: 'anonymous'; readonly id: string; readonly issued: boolean }
  | { readonly kind: 'none' };

/**
 * What an adapter already knows about a request, typically looked up with an `await` (a session
 * store, Auth.js or Clerk `auth()`, a JWT check) that the synchronous `user` and `attributes`
 * options cannot do. Each field given replaces that option for this request; `user: null` or
 * `undefined` means a visitor (the anonymous id). `@bucketry/next` takes them as `proxy`'s third
 * argument.
 *
 * @example
 * ```ts
 * export async function proxy(request: NextRequest, event: NextFetchEvent) {
 *   const session = await getSession(request);
 *   const facts: RequestFacts = { user: session?.userId, attributes: { plan: session?.plan ?? 'free' } };
 *   return bucketry.proxy(request, event, facts);
 * }
 * ```
 */
export interface RequestFacts {
  /** The signed-in user's id or compound unit; `null` or `undefined` for a visitor. */
  readonly user?: Unit | null | undefined;
  /** What eligibility rules look at. */
  readonly attributes?: Attributes | null | undefined;
}

/**
 * One request and its response as an adapter presents them to {@link RequestAssignments}.
 *
 * @example
 * ```ts
 * const exchange: HttpExchange<Request> = {
 *   request,
 *   cookieHeader: request.headers.get('cookie') ?? undefined,
 *   isSecure: () => new URL(request.url).protocol === 'https:',
 *   setHeader: (name, value) => response.headers.set(name, value),
 *   addCookie: (cookie) => response.headers.append('set-cookie', cookie),
 * };
 * ```
 */
export interface HttpExchange<Req> {
  /** The framework's request, as `user`, `attributes` and the QA-override reader take it. */
  readonly request: Req;
  /** The request's `Cookie` header. */
  readonly cookieHeader: string | undefined;
  /** What the adapter already knows about this request; each field given replaces the option of that name. */
  readonly facts?: RequestFacts | undefined;
  /** Whether the request came over HTTPS; asked once, when the first cookie is written. */
  isSecure(): boolean;
  /** Sets a response header. Throws once the response has started, as Node's `setHeader` does. */
  setHeader(name: string, value: string): void;
  /** Adds one `Set-Cookie` response header. Throws once the response has started. */
  addCookie(setCookie: string): void;
  /**
   * Whether the response has started, so that headers can no longer be written: asked after a
   * write threw, to say so in the report. Default: never.
   */
  responseStarted?(): boolean;
}

type ResolvedUnit =
  | { readonly kind: 'user'; readonly id: string; readonly unit: Unit }
  | { readonly kind: 'anonymous'; readonly id: string; readonly issued: boolean }
  | { readonly kind: 'none' }
  | { readonly kind: 'error'; readonly error: unknown };

/** An experiment decided on this request; `shown` once its header, cookie and exposure are done. */
interface Decided {
  readonly key: string;
  readonly experiment: Experiment;
  readonly assignment: Assignment;
  shown: boolean;
}

const NOT_READ = Symbol('not read');
const FAILED = Symbol('failed');

const isThenable = (value: unknown): value is PromiseLike<unknown> => typeof (value as PromiseLike<unknown> | null | undefined)?.then === 'function';
const ignore = (): void => {};

/**
 * Control, for a request where assigning failed: `reason: 'error'`, not in the experiment, never
 * exposed.
 *
 * @example
 * ```ts
 * const assignment = controlAfterError(skillTree, '', new Error('proxy did not run'));
 * assignment.variant; // 'tree'
 * ```
 */
export const controlAfterError = <V extends string>(experiment: Experiment<string, V>, unit: string, error: unknown): Assignment<V> => ({
  experiment: experiment.key,
  variant: experiment.control,
  inExperiment: false,
  reason: 'error',
  bucket: -1,
  unit,
  error,
});

/**
 * The HTTP rules for one request, whatever the framework: who the unit is (the signed-in user,
 * else an anonymous id kept in its own cookie; a tampered id is replaced), what each experiment
 * assigns (QA overrides when enabled, never over the kill switch), the `X-Experiment-<Name>`
 * header and the `exp_<key>` cookie that mirror the assignment (the cookie is never read as
 * input, only rewritten when it differs), and one exposure. Nothing here throws for a known
 * experiment: failures give control and go to `onError`.
 *
 * @example
 * ```ts
 * const assignments = new RequestAssignments(settings, exchange);
 * const { variant } = assignments.show('skill_tree_layout'); // header, cookie and exposure done
 * ```
 */
export class RequestAssignments<Req> {
  readonly #settings: HttpSettings<Req>;
  readonly #exchange: HttpExchange<Req>;
  #unit: ResolvedUnit | undefined;
  #attributes: Attributes | null | undefined | typeof NOT_READ | typeof FAILED = NOT_READ;
  #attributesError: unknown;
  #overrides: ReadonlyMap<string, string> | undefined | typeof NOT_READ = NOT_READ;
  /** Made on first use. A list, not a Map: a request reads a few experiments, and a Map per request cost more. */
  #decided: Decided[] | undefined;
  #secure: boolean | undefined;
  #exposed = 0;

  constructor(settings: HttpSettings<Req>, exchange: HttpExchange<Req>) {
    this.#settings = settings;
    this.#exchange = exchange;
  }

  /** How many exposures this request handed to the client (before its de-duplication). */
  get exposed(): number {
    return this.#exposed;
  }

  /**
   * The assignment, decided once per request, without the header, cookie or exposure: for
   * deciding before anything is shown. (A new visitor still gets the anonymous-id cookie, so
   * that the decision holds on the next request.)
   */
  peek(key: string): Assignment {
    return this.#entry(key).assignment;
  }

  /**
   * The assignment, as shown: the first call sets the header and the cookie and, unless `expose`
   * is `false`, writes the exposure.
   */
  show(key: string, expose = true): Assignment {
    const entry = this.#entry(key);
    if (!entry.shown) {
      entry.shown = true;
      this.#writeResponse(entry.experiment, entry.assignment);
      if (expose) this.#expose(entry.assignment);
    }
    return entry.assignment;
  }

  /** The variants shown so far, by experiment key. */
  shown(): Record<string, string> {
    const shown: Record<string, string> = {};
    for (const entry of this.#decided ?? []) if (entry.shown) shown[entry.key] = entry.assignment.variant;
    return shown;
  }

  /** Who the request is about; issues the anonymous-id cookie if that is needed and not done yet. */
  unit(): RequestUnit {
    const unit = this.#resolveUnit();
    if (unit.kind === 'user') return { kind: 'user', id: unit.id };
    if (unit.kind === 'error') return { kind: 'none' };
    return unit;
  }

  #entry(key: string): Decided {
    const decided = (this.#decided ??= []);
    for (const entry of decided) if (entry.key === key) return entry;
    const experiment = this.#settings.experiment(key);
    let assignment: Assignment;
    try {
      assignment = this.#decide(experiment);
    } catch (error) {
      this.#settings.report(error, { source: 'middleware', experiment: key });
      assignment = controlAfterError(experiment, '', error);
    }
    const entry: Decided = { key, experiment, assignment, shown: false };
    decided.push(entry);
    return entry;
  }

  #decide(experiment: Experiment): Assignment {
    const unit = this.#resolveUnit();
    if (unit.kind === 'error') return controlAfterError(experiment, '', unit.error);
    const id = unit.kind === 'none' ? '' : unit.id;
    const attributes = this.#readAttributes();
    if (attributes === FAILED) return controlAfterError(experiment, id, this.#attributesError);

    const forced = this.#readOverrides()?.get(experiment.key);
    if (forced !== undefined && experiment.live) {
      return { experiment: experiment.key, variant: forced, inExperiment: false, reason: 'override', bucket: -1, unit: id };
    }
    return this.#settings.client.peek(experiment.key, unit.kind === 'user' ? unit.unit : unit.kind === 'anonymous' ? unit.id : undefined, attributes);
  }

  #resolveUnit(): ResolvedUnit {
    if (this.#unit !== undefined) return this.#unit;
    const { user, unitCookie, report, packageName } = this.#settings;
    const { facts } = this.#exchange;
    const given = facts !== undefined && 'user' in facts;
    if (given || user !== undefined) {
      let found: Unit | null | undefined;
      try {
        found = given ? facts.user : user!(this.#exchange.request);
      } catch (error) {
        report(error, { source: 'unit' });
        return (this.#unit = { kind: 'error', error });
      }
      if (found !== undefined && found !== null && found !== '') {
        const id = typeof found === 'string' ? found : unitKey(found); // a string id is its own key: no object made
        if (id === undefined) {
          // A promise has no fields, so it lands here: checked only once the value is known to be no unit.
          const error = isThenable(found)
            ? this.#returnedPromise('user', found, given)
            : new TypeError(
                `${packageName}: user(req) must return a non-empty string, a compound unit of non-empty fields, or null/undefined for anonymous; got ${describeValue(found)}`,
              );
          report(error, { source: 'unit' });
          return (this.#unit = { kind: 'error', error });
        }
        return (this.#unit = { kind: 'user', id, unit: found });
      }
    }
    if (unitCookie === undefined) return (this.#unit = { kind: 'none' });
    const existing = readCookie(this.#exchange.cookieHeader, unitCookie.name);
    if (isAnonymousId(existing)) return (this.#unit = { kind: 'anonymous', id: existing, issued: false });
    // Missing, tampered or foreign: issue a fresh id.
    const id = newAnonymousId();
    this.#setCookie(unitCookie.name, id, unitCookie.attributes);
    return (this.#unit = { kind: 'anonymous', id, issued: true });
  }

  #readAttributes(): Attributes | null | undefined | typeof FAILED {
    if (this.#attributes !== NOT_READ) return this.#attributes;
    const { facts } = this.#exchange;
    const given = facts !== undefined && 'attributes' in facts;
    const read = this.#settings.attributes;
    if (!given && read === undefined) return (this.#attributes = undefined);
    let attributes: Attributes | null | undefined;
    try {
      attributes = given ? facts.attributes : read!(this.#exchange.request);
    } catch (error) {
      return this.#attributesFailed(error);
    }
    if (isThenable(attributes)) return this.#attributesFailed(this.#returnedPromise('attributes', attributes, given));
    return (this.#attributes = attributes);
  }

  #attributesFailed(error: unknown): typeof FAILED {
    this.#attributesError = error;
    this.#settings.report(error, { source: 'attributes' });
    return (this.#attributes = FAILED);
  }

  /** The error for a `user` or `attributes` that is a promise (an async lookup), with where to look it up instead. */
  #returnedPromise(option: 'user' | 'attributes', promise: PromiseLike<unknown>, given: boolean): TypeError {
    // Nobody awaits it: its rejection must not become an unhandledRejection, which ends a Node process.
    Promise.resolve(promise).then(undefined, ignore);
    const { packageName, asyncLookupAdvice } = this.#settings;
    return new TypeError(
      given
        ? `${packageName}: the ${option} given for this request ${option === 'user' ? 'is' : 'are'} a Promise; await it before passing it`
        : `${packageName}: ${option}(req) returned a Promise; it must return the ${option} synchronously${asyncLookupAdvice ? `. ${asyncLookupAdvice(option)}` : ''}`,
    );
  }

  #readOverrides(): ReadonlyMap<string, string> | undefined {
    if (this.#overrides !== NOT_READ) return this.#overrides;
    const read = this.#settings.readOverrides;
    return (this.#overrides = read === undefined ? undefined : read(this.#exchange.request));
  }

  #writeResponse(experiment: Experiment, assignment: Assignment): void {
    try {
      // Both names come from the validated key, the value from the validated variants.
      this.#exchange.setHeader(experiment.header, assignment.variant);
      // The cookie mirrors the assignment; it is never read as input. Rewritten whenever it
      // differs: missing, tampered, unknown, stale after a kill switch or a QA override.
      if (!hasCookieValue(this.#exchange.cookieHeader, experiment.cookie, assignment.variant)) {
        this.#setCookie(experiment.cookie, assignment.variant, this.#settings.variantCookie);
      }
    } catch (error) {
      this.#settings.report(this.#writeFailure(error, `${experiment.header} and ${experiment.cookie} not set`), {
        source: 'response',
        experiment: experiment.key,
      });
    }
  }

  #setCookie(name: string, value: string, attributes: CookieAttributes): void {
    try {
      this.#secure ??= this.#exchange.isSecure() === true;
      this.#exchange.addCookie(serializeCookie(name, value, attributes, this.#secure));
    } catch (error) {
      this.#settings.report(this.#writeFailure(error, `cookie ${name} not set`), { source: 'response' });
    }
  }

  /**
   * What to report for a header or cookie that could not be written. The response is asked
   * whether it had started only once a write failed: asking before every write took 0.5-1% of
   * server CPU in the express bench's profiles.
   */
  #writeFailure(error: unknown, notDone: string): unknown {
    return this.#exchange.responseStarted?.() === true ? new Error(`response already started; ${notDone}`, { cause: error }) : error;
  }

  #expose(assignment: Assignment): void {
    try {
      if (assignment.reason === 'override') {
        // Core exposes only units in the experiment; a QA override is exposed too, marked by its reason.
        if (assignment.unit !== '') {
          this.#exposed++;
          this.#settings.client.expose({ ...assignment, inExperiment: true });
        }
      } else if (assignment.inExperiment) {
        this.#exposed++;
        this.#settings.client.expose(assignment);
      }
    } catch (error) {
      this.#settings.report(error, { source: 'sink', experiment: assignment.experiment });
    }
  }
}
