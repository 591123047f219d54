import { checkFunction } from '@bucketry/http';
import type { NextRequest } from 'next/server.js';

/**
 * The `user` or `attributes` option, checked to be a function, that throws when it returns a
 * promise (an async session lookup): the HTTP rules then report it with the way out (await it in
 * the proxy and pass it as a fact) and give control, instead of core's "not a unit".
 */
export function synchronousOption<T>(field: 'user' | 'attributes', option: ((request: NextRequest) => T) | undefined): ((request: NextRequest) => T) | undefined {
  const read = checkFunction(field, option);
  if (read === undefined) return undefined;
  return (request) => {
    const found = read(request);
    if (typeof (found as { then?: unknown } | null | undefined)?.then === 'function') {
      throw new TypeError(`${field}(request) returned a promise; it must be synchronous: await it in your proxy and pass it, bucketry.proxy(request, event, { ${field} })`);
    }
    return found;
  };
}
