import { fallbackAssignment, type Assignment, type Attributes, type Experiment } from '@bucketry/core';
import { hasCookieValue, serializeCookie, type CookieAttributes } from './cookies.js';
import type { ExperimentNames } from './experiment-names.js';
import type { HttpExchange } from './http-exchange.js';
import { FailedAttributes, readAttributes, resolveUnit, type RequestUnit, type ResolvedUnit } from './request-facts.js';
import type { HttpSettings } from './settings.js';
import { loadUnits } from './sticky-preload.js';

/** An experiment decided on this request; `shown` once its header, cookie and exposure are done. */
interface Decided {
  readonly key: string;
  readonly assignment: Assignment;
  shown: boolean;
}

// Pure: a bundle that never uses RequestAssignments drops it.
const NOT_READ = /* @__PURE__ */ Symbol('not read');

/**
 * The HTTP rules for one request, whatever the framework: who the unit is (the signed-in user,
 * else an anonymous id kept in its own cookie; a tampered id is replaced), what core assigns
 * (with the request's QA override when enabled: never over the kill switch, never exposed), the
 * `X-Experiment-<Name>` header and the `exp_<key>` cookie that mirror the assignment (the cookie
 * is never read as input, only rewritten when it differs), and one exposure when the unit is in
 * the experiment. Nothing here throws for a known experiment: failures give control and go to
 * `onError`.
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
  /** An anonymous id issued on this request whose cookie is still to be written: on first use. */
  #unwrittenId: string | undefined;
  #attributes: Attributes | null | undefined | FailedAttributes | typeof NOT_READ = NOT_READ;
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
   * is `false`, writes the exposure (only a unit in the experiment has one).
   */
  show(key: string, expose = true): Assignment {
    const entry = this.#entry(key);
    if (!entry.shown) {
      entry.shown = true;
      this.#writeResponse(key, entry.assignment);
      if (expose && entry.assignment.inExperiment) this.#expose(entry.assignment);
    }
    return entry.assignment;
  }

  /** The variants shown so far, by experiment key. */
  shown(): Record<string, string> {
    const shown: Record<string, string> = {};
    for (const entry of this.#decided ?? []) if (entry.shown) shown[entry.key] = entry.assignment.variant;
    return shown;
  }

  /**
   * With a sticky store (the `sticky` option), call before the first assignment and await what
   * it returns: it finds who the request is about and loads that unit's records, every experiment
   * in one round trip, so that this request's assignments keep the variants recorded. `undefined`
   * when there is nothing to wait for: no store, no unit, or a visitor whose id is new on this
   * request (a new unit has no records; the id's cookie is written on first use, as without a store). The
   * promise never rejects: a load that throws or rejects is reported (source `sticky`) and the
   * request is assigned without the records. The unit found here is the request's from then on.
   */
  loadSticky(): Promise<void> | undefined {
    const sticky = this.#settings.sticky;
    if (sticky === undefined || this.#unit !== undefined) return undefined;
    const unit = (this.#unit = resolveUnit(this.#settings, this.#exchange));
    // A new id has no records. Its cookie is written on first use, as without a store, if it is used at all.
    if (unit.kind === 'anonymous' && unit.issued) return void (this.#unwrittenId = unit.id);
    return unit.kind === 'user' || unit.kind === 'anonymous' ? loadUnits(sticky, [unit.id], this.#settings.report) : undefined;
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
      assignment = fallbackAssignment(experiment, experiment.control, error);
    }
    const entry: Decided = { key, assignment, shown: false };
    decided.push(entry);
    return entry;
  }

  #decide(experiment: Experiment): Assignment {
    const unit = this.#resolveUnit();
    if (unit.kind === 'error') return fallbackAssignment(experiment, experiment.control, unit.error);
    const attributes = this.#readAttributes();
    if (attributes instanceof FailedAttributes) return fallbackAssignment(experiment, experiment.control, attributes.error, unit.kind === 'none' ? '' : unit.id);
    // Core owns the precedence: a QA override never beats the kill switch, and is never exposed.
    const override = this.#readOverrides()?.get(experiment.key);
    return this.#settings.client.peek(
      experiment.key,
      unit.kind === 'user' ? unit.unit : unit.kind === 'anonymous' ? unit.id : undefined,
      attributes,
      override === undefined ? undefined : { override },
    );
  }

  #resolveUnit(): ResolvedUnit {
    if (this.#unit === undefined) {
      const unit = (this.#unit = resolveUnit(this.#settings, this.#exchange));
      if (unit.kind === 'anonymous' && unit.issued) this.#unwrittenId = unit.id;
    }
    const id = this.#unwrittenId;
    if (id !== undefined) {
      this.#unwrittenId = undefined;
      const { name, attributes } = this.#settings.unitCookie!;
      this.#setCookie(name, id, attributes);
    }
    return this.#unit;
  }

  #readAttributes(): Attributes | null | undefined | FailedAttributes {
    if (this.#attributes === NOT_READ) this.#attributes = readAttributes(this.#settings, this.#exchange);
    return this.#attributes;
  }

  #readOverrides(): ReadonlyMap<string, string> | undefined {
    if (this.#overrides !== NOT_READ) return this.#overrides;
    const read = this.#settings.readOverrides;
    return (this.#overrides = read === undefined ? undefined : read(this.#exchange.request));
  }

  #writeResponse(key: string, assignment: Assignment): void {
    // Both names were made from the validated key at start-up, the value is one of the validated variants.
    const { header, cookie }: ExperimentNames = this.#settings.names.get(key)!;
    try {
      this.#exchange.setHeader(header, assignment.variant);
      // The cookie mirrors the assignment; it is never read as input. Rewritten whenever it
      // differs: missing, tampered, unknown, stale after a kill switch or a QA override.
      if (!hasCookieValue(this.#exchange.cookieHeader, cookie, assignment.variant)) {
        this.#setCookie(cookie, assignment.variant, this.#settings.variantCookie);
      }
    } catch (error) {
      this.#settings.report(this.#writeFailure(error, `${header} and ${cookie} not set`), { source: 'response', experiment: key });
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

  /** Hands an assignment of a unit in the experiment to the client, which de-duplicates and writes it. */
  #expose(assignment: Assignment): void {
    this.#exposed++;
    try {
      this.#settings.client.expose(assignment);
    } catch (error) {
      this.#settings.report(error, { source: 'sink', experiment: assignment.experiment });
    }
  }
}
