import { describeValue, unitKey, type Attributes, type Unit } from '@bucketry/core';
import { isAnonymousId, newAnonymousId } from './anonymous-id.js';
import { readCookie } from './cookies.js';
import type { HttpExchange } from './http-exchange.js';
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
 * Who a request is about, as found: the user with the unit to assign, an anonymous id (`issued`:
 * its cookie is still to be written), nobody, or the failure that was reported.
 * @internal
 */
export type ResolvedUnit =
  | { readonly kind: 'user'; readonly id: string; readonly unit: Unit }
  | { readonly kind: 'anonymous'; readonly id: string; readonly issued: boolean }
  | { readonly kind: 'none' }
  | { readonly kind: 'error'; readonly error: unknown };

/** Attributes that could not be read; the error has been reported. @internal */
export class FailedAttributes {
  constructor(readonly error: unknown) {}
}

const isThenable = (value: unknown): value is PromiseLike<unknown> => typeof (value as PromiseLike<unknown> | null | undefined)?.then === 'function';
const ignore = (): void => {};

/**
 * Finds who the request is about: the facts' user, else the `user` option, else the anonymous-id
 * cookie (a missing, tampered or foreign one gives a fresh id, `issued`). A lookup that throws,
 * or gives no unit or a promise, is reported and gives `error`.
 * @internal
 */
export function resolveUnit<Req>(settings: HttpSettings<Req>, exchange: HttpExchange<Req>): ResolvedUnit {
  const { user, unitCookie, report, packageName } = settings;
  const { facts } = exchange;
  const given = facts !== undefined && 'user' in facts;
  if (given || user !== undefined) {
    let found: Unit | null | undefined;
    try {
      found = given ? facts.user : user!(exchange.request);
    } catch (error) {
      report(error, { source: 'unit' });
      return { kind: 'error', error };
    }
    if (found !== undefined && found !== null && found !== '') {
      const id = typeof found === 'string' ? found : unitKey(found); // a string id is its own key: no object made
      if (id === undefined) {
        // A promise has no fields, so it lands here: checked only once the value is known to be no unit.
        const error = isThenable(found)
          ? returnedPromise(settings, 'user', found, given)
          : new TypeError(
              `${packageName}: user(req) must return a non-empty string, a compound unit of non-empty fields, or null/undefined for anonymous; got ${describeValue(found)}`,
            );
        report(error, { source: 'unit' });
        return { kind: 'error', error };
      }
      return { kind: 'user', id, unit: found };
    }
  }
  if (unitCookie === undefined) return { kind: 'none' };
  const existing = readCookie(exchange.cookieHeader, unitCookie.name);
  if (isAnonymousId(existing)) return { kind: 'anonymous', id: existing, issued: false };
  return { kind: 'anonymous', id: newAnonymousId(), issued: true };
}

/**
 * The request's attributes: the facts' own, else the `attributes` option's. A lookup that throws
 * or gives a promise is reported and gives a {@link FailedAttributes}.
 * @internal
 */
export function readAttributes<Req>(settings: HttpSettings<Req>, exchange: HttpExchange<Req>): Attributes | null | undefined | FailedAttributes {
  const { facts } = exchange;
  const given = facts !== undefined && 'attributes' in facts;
  const read = settings.attributes;
  if (!given && read === undefined) return undefined;
  let attributes: Attributes | null | undefined;
  try {
    attributes = given ? facts.attributes : read!(exchange.request);
    if (isThenable(attributes)) throw returnedPromise(settings, 'attributes', attributes, given);
  } catch (error) {
    settings.report(error, { source: 'attributes' });
    return new FailedAttributes(error);
  }
  return attributes;
}

/** The error for a `user` or `attributes` that is a promise (an async lookup), with where to look it up instead. */
function returnedPromise<Req>(settings: HttpSettings<Req>, option: 'user' | 'attributes', promise: PromiseLike<unknown>, given: boolean): TypeError {
  // Nobody awaits it: its rejection must not become an unhandledRejection, which ends a Node process.
  Promise.resolve(promise).then(undefined, ignore);
  const { packageName, asyncLookupAdvice } = settings;
  return new TypeError(
    given
      ? `${packageName}: the ${option} given for this request ${option === 'user' ? 'is' : 'are'} a Promise; await it before passing it`
      : `${packageName}: ${option}(req) returned a Promise; it must return the ${option} synchronously${asyncLookupAdvice ? `. ${asyncLookupAdvice(option)}` : ''}`,
  );
}
