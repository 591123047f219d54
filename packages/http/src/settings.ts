import {
  createBucketry,
  describeValue,
  type Attributes,
  type Bucketry,
  type Experiment,
  type ExperimentConfig,
  type ExposureSink,
  type Unit,
} from '@bucketry/core';
import { resolveUnitCookie, type AnonymousIdOptions, type UnitCookie } from './anonymous-id.js';
import { resolveCookieAttributes, type CookieAttributeOptions, type CookieAttributes } from './cookies.js';
import { logToConsole, reporter, type HttpErrorHandler } from './error-context.js';
import { experimentCookieName, experimentHeaderName, experimentNames, type ExperimentNames } from './experiment-names.js';
import { isHttpToken } from './http-token.js';
import { invalidOption } from './option-error.js';
import { createQaOverrideReader, type QaOverrideOptions, type QaOverrideReader, type QaOverrideSource } from './qa-override.js';
import { checkStickyStore, type PreloadingStickyStore } from './sticky-preload.js';

/** Thirty days (30 × 24 × 60 × 60 seconds), written out: a product would stay in a bundle that never uses it. */
const THIRTY_DAYS = 2_592_000;

/**
 * The `exp_<key>` cookies: the shared attributes plus their lifetime and visibility.
 *
 * @example
 * ```ts
 * const cookies: VariantCookieOptions = { maxAge: 7 * 24 * 60 * 60, httpOnly: false, secure: true };
 * ```
 */
export interface VariantCookieOptions extends CookieAttributeOptions {
  /** Seconds. Default 30 days. */
  readonly maxAge?: number;
  /** Default `true`. Set `false` if page scripts read the variant from the cookie. */
  readonly httpOnly?: boolean;
}

/**
 * The options every adapter shares: a client (or experiments plus a sink), how to find the unit
 * in the framework's request `Req`, cookies, QA overrides and `onError`.
 *
 * @example
 * ```ts
 * const options: HttpExperimentOptions<Request> = {
 *   experiments: [{ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 10 }],
 *   sink: createMemorySink(),
 *   user: (request) => headerText(request.headers.get('x-user-id'), 'X-User-Id'),
 * };
 * ```
 */
export interface HttpExperimentOptions<Req, E extends Experiment = Experiment> {
  /** A client from `createBucketry`. Give this, or `experiments` (and `sink`), not both. */
  readonly client?: Bucketry<E>;
  /** Experiments, defined or as configs: the adapter creates the client. */
  readonly experiments?: readonly (E | ExperimentConfig)[];
  /** Where exposures go, with `experiments`. */
  readonly sink?: ExposureSink;
  /** With `experiments`: how many (experiment, unit, variant) exposures to remember for de-duplication. Default 10,000. */
  readonly dedupe?: number | false;
  /**
   * The signed-in user's id (or a compound unit such as `{ tenantId, userId }`), or `null`/`undefined`
   * for a visitor, who then gets the anonymous id. A throw falls back to control and is reported,
   * as does a promise returned (an async lookup): it must answer synchronously.
   */
  readonly user?: (req: Req) => Unit | null | undefined;
  /** What eligibility rules look at, e.g. `{ region, plan }`. Synchronous; a throw or a promise falls back to control and is reported. */
  readonly attributes?: (req: Req) => Attributes | null | undefined;
  /** The anonymous-id cookie (default `bucketry_uid`, one year), or `false` to give visitors control without an id. */
  readonly anonymousId?: AnonymousIdOptions | false;
  /** Attributes of every cookie written, and the lifetime and visibility of the `exp_<key>` cookies. */
  readonly cookies?: VariantCookieOptions;
  /** Forced variants from a query parameter or header, for QA. Off by default. */
  readonly qaOverrides?: QaOverrideOptions<Req>;
  /**
   * Keeps units on their first variant: a store such as `createPostgresStickyStore()` from
   * `@bucketry/live`. Before the first assignment of a request, the adapter finds the unit and
   * awaits `sticky.load([unit])`, one round trip for every experiment (not for a visitor whose id
   * is issued on that request: it has no records yet). With `experiments`, the client is created
   * with it; with `client`, give the store that client was created with.
   */
  readonly sticky?: PreloadingStickyStore;
  /**
   * Told about every failure: sink errors (when the adapter created the client), the user or
   * attributes function throwing, a response that had already started. Never rethrown. Default:
   * one line on stderr.
   */
  readonly onError?: HttpErrorHandler;
}

/**
 * What every request of one adapter instance shares, checked once at start-up.
 *
 * @example
 * ```ts
 * const { settings, client } = resolveHttpSettings('@bucketry/next', options, fromFetchRequest);
 * new RequestAssignments(settings, exchange).show('skill_tree_layout');
 * ```
 */
export interface HttpSettings<Req> {
  /** Starts error messages, e.g. `@bucketry/express`. */
  readonly packageName: string;
  readonly client: Bucketry<Experiment>;
  readonly byKey: ReadonlyMap<string, Experiment>;
  /**
   * The experiment with this key. An unknown key throws a `TypeError`: a programming error
   * (TypeScript rejects it), with no control to fall back to.
   */
  readonly experiment: (key: string) => Experiment;
  /** Each experiment's `X-Experiment-<Name>` header and `exp_<key>` cookie, by key: computed once, here. */
  readonly names: ReadonlyMap<string, ExperimentNames>;
  readonly user: ((req: Req) => Unit | null | undefined) | undefined;
  readonly attributes: ((req: Req) => Attributes | null | undefined) | undefined;
  /** Where to look up a user or attributes that take an `await` instead: the end of the error when `user` or `attributes` returns a promise. */
  readonly asyncLookupAdvice: ((option: 'user' | 'attributes') => string) | undefined;
  readonly unitCookie: UnitCookie | undefined;
  readonly variantCookie: CookieAttributes;
  readonly readOverrides: QaOverrideReader<Req> | undefined;
  /** The `sticky` option: its records are loaded before a request is assigned. */
  readonly sticky: PreloadingStickyStore | undefined;
  readonly report: HttpErrorHandler;
}

/**
 * Checks that every header and cookie an adapter writes for these experiments is a valid HTTP
 * token: names from the keys, values from the variants. Run once at start-up, so that nothing
 * is checked per response.
 *
 * @example
 * ```ts
 * checkHttpSafe(bucketry.experiments); // throws for a variant such as 'two words'
 * ```
 */
export function checkHttpSafe(experiments: readonly Experiment[]): void {
  experiments.forEach((experiment, i) => {
    if (!isHttpToken(experimentHeaderName(experiment.key)) || !isHttpToken(experimentCookieName(experiment.key))) {
      invalidOption(`experiments[${i}].key`, experiment.key, 'must give a valid header and cookie name');
    }
    experiment.variants.forEach((variant, j) => {
      if (!isHttpToken(variant, 128)) {
        invalidOption(
          `experiments[${i}].variants[${j}]`,
          variant,
          "must be 1-128 characters of letters, digits and !#$%&'*+.^_`|~- to be sent as a header and cookie value",
        );
      }
    });
  });
}

/**
 * Checks that an optional option is a function; returns it.
 *
 * @example
 * ```ts
 * const user = checkFunction('user', options.user); // throws OptionError for 'x-user-id'
 * ```
 */
export function checkFunction<F>(field: string, value: F | undefined): F | undefined {
  if (value !== undefined && typeof value !== 'function') invalidOption(field, value, 'must be a function');
  return value;
}

function checkSink(sink: unknown): void {
  if (sink === undefined) return;
  if (sink === null || typeof sink !== 'object' || typeof (sink as Partial<ExposureSink>).write !== 'function') {
    invalidOption('sink', sink, 'must be an object with a write(event) function');
  }
}

/**
 * Checks the options every adapter shares and builds the client (from `experiments`, unless a
 * `client` is given). A bad option throws an `OptionError` naming it, the value and the rule.
 *
 * @param packageName - the adapter's name, for the default `onError` and its own errors
 * @param source - how the QA-override reader sees the framework's request
 * @param asyncLookupAdvice - how this adapter's users get a user or attributes that take an
 *   `await` to it: the end of the error when the `user` or `attributes` option returns a promise
 * @example
 * ```ts
 * const { settings, client } = withPackageName('@bucketry/next', () =>
 *   resolveHttpSettings('@bucketry/next', options, {
 *     header: (request: NextRequest, name) => request.headers.get(name),
 *     search: (request) => request.nextUrl.search,
 *   }),
 * );
 * ```
 */
export function resolveHttpSettings<Req, E extends Experiment>(
  packageName: string,
  options: HttpExperimentOptions<Req, E>,
  source: QaOverrideSource<Req>,
  asyncLookupAdvice?: (option: 'user' | 'attributes') => string,
): { readonly settings: HttpSettings<Req>; readonly client: Bucketry<E> } {
  if (options === null || typeof options !== 'object') invalidOption('options', options, 'must be an object');
  const report = reporter(checkFunction('onError', options.onError) ?? logToConsole(packageName));
  const sticky = checkStickyStore(options.sticky);

  let client: Bucketry<E>;
  if (options.client !== undefined) {
    if (options.experiments !== undefined || options.sink !== undefined || options.dedupe !== undefined) {
      invalidOption('client', options.client, 'must come without experiments, sink and dedupe (give either client or experiments: a client has its own)');
    }
    const given = options.client as Partial<Bucketry<E>> | null;
    if (given === null || typeof given !== 'object' || typeof given.peek !== 'function' || typeof given.expose !== 'function') {
      invalidOption('client', given, 'must be a client from createBucketry');
    }
    client = options.client;
  } else if (options.experiments !== undefined) {
    checkSink(options.sink);
    // E is an Experiment already, so DefinedExperiment<E> is E; the compiler cannot see that for a type parameter.
    client = createBucketry<E>({
      experiments: options.experiments,
      ...(options.sink !== undefined && { sink: options.sink }),
      ...(options.dedupe !== undefined && { dedupe: options.dedupe }),
      ...(sticky !== undefined && { sticky }),
      onError: report,
    }) as Bucketry<E>;
  } else {
    return invalidOption('client', undefined, 'or experiments must be given');
  }
  checkHttpSafe(client.experiments);

  if (options.cookies !== undefined && (options.cookies === null || typeof options.cookies !== 'object')) {
    invalidOption('cookies', options.cookies, 'must be an object');
  }
  const byKey = new Map<string, Experiment>(client.experiments.map((e) => [e.key, e]));
  const names = experimentNames(client.experiments);
  const settings: HttpSettings<Req> = {
    packageName,
    client: client as unknown as Bucketry<Experiment>,
    byKey,
    experiment: (key) => {
      const found = byKey.get(key);
      if (found === undefined) throw new TypeError(`${packageName}: unknown experiment ${describeValue(key)}; known: ${[...byKey.keys()].join(', ')}`);
      return found;
    },
    names,
    user: checkFunction('user', options.user),
    attributes: checkFunction('attributes', options.attributes),
    asyncLookupAdvice,
    unitCookie: resolveUnitCookie(options.anonymousId, options.cookies),
    variantCookie: resolveCookieAttributes('cookies', options.cookies, options.cookies, { maxAge: THIRTY_DAYS, httpOnly: true }),
    readOverrides: createQaOverrideReader(options.qaOverrides, client.experiments, source),
    sticky,
    report,
  };
  return { settings, client };
}
