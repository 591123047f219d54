import type { Attributes, Unit } from '@bucketry/core';
import { checkFunction } from '@bucketry/http';
import type { NextRequest } from 'next/server.js';

/**
 * Who a request is about and what eligibility rules see, found by your proxy before it calls
 * `proxy` / `assignRequest` — typically with an `await` (`await auth()`, a session or JWT lookup),
 * which the synchronous `user` and `attributes` options cannot do. Each field given replaces that
 * option for this request; `user: null` or `undefined` means a visitor (the anonymous id).
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

type Read<T> = (request: NextRequest) => T;

/**
 * The `user` and `attributes` functions the HTTP rules call: a request's given facts (set with
 * `given.set` for the duration of one synchronous assignment) win over the options' functions.
 */
export function factsReaders(
  user: Read<Unit | null | undefined> | undefined,
  attributes: Read<Attributes | null | undefined> | undefined,
): {
  readonly given: WeakMap<NextRequest, RequestFacts>;
  readonly user: Read<Unit | null | undefined>;
  readonly attributes: Read<Attributes | null | undefined>;
} {
  const given = new WeakMap<NextRequest, RequestFacts>();
  const givenOr =
    <K extends keyof RequestFacts>(field: K, option: Read<RequestFacts[K]> | undefined): Read<RequestFacts[K]> =>
    (request) => {
      const facts = given.get(request);
      if (facts !== undefined && field in facts) return facts[field];
      const found = option?.(request);
      if (typeof (found as { then?: unknown } | null | undefined)?.then === 'function') {
        throw new TypeError(`${field}(request) returned a promise; it must be synchronous: await it in your proxy and pass it, bucketry.proxy(request, event, { ${field} })`);
      }
      return found;
    };
  return { given, user: givenOr('user', checkFunction('user', user)), attributes: givenOr('attributes', checkFunction('attributes', attributes)) };
}
