import { invalidOption, OptionError, type HttpErrorHandler } from '@bucketry/http';
import type { NextRequest } from 'next/server.js';
import { PACKAGE_NAME } from './package-name.js';

/**
 * Which experiments the proxy assigns on a request: path prefixes mapped to experiment keys (a
 * prefix matches itself and everything under it, `/` matches every path, and every matching
 * prefix adds its keys), or a function of the request. Without it, every experiment is assigned
 * on every request the proxy's `config.matcher` lets through.
 *
 * @example
 * ```ts
 * const routes: ExperimentRoutes<'skill_tree_layout' | 'checkout_button'> = {
 *   '/skills': ['skill_tree_layout'],
 *   '/checkout': ['checkout_button'],
 * };
 * ```
 */
export type ExperimentRoutes<K extends string = string> =
  | { readonly [pathPrefix: string]: readonly K[] }
  | ((request: NextRequest) => readonly K[]);

const PREFIX = /^\/[^\s?#]*$/;

/**
 * Checks `routes` at start-up (run it inside `withPackageName`) and returns what gives a request's
 * experiment keys. Unknown keys from a routes function are reported (an `OptionError`, as a bad
 * option at start-up would be) and skipped; a throwing one gives no experiments.
 */
export function routeKeys(
  routes: ExperimentRoutes | undefined,
  known: ReadonlySet<string>,
  report: HttpErrorHandler,
): (request: NextRequest) => readonly string[] {
  if (routes === undefined) {
    const all = Object.freeze([...known]);
    return () => all;
  }
  if (typeof routes === 'function') {
    return (request) => {
      let keys: readonly string[];
      try {
        keys = routes(request);
      } catch (error) {
        report(error, { source: 'middleware' });
        return [];
      }
      if (!Array.isArray(keys)) {
        report(new OptionError('routes(request)', keys, 'must return an array of experiment keys', PACKAGE_NAME), { source: 'middleware' });
        return [];
      }
      return keys.filter((key, i) => {
        if (known.has(key)) return true;
        report(new OptionError(`routes(request)[${i}]`, key, `must name a known experiment (${[...known].join(', ')})`, PACKAGE_NAME), { source: 'middleware' });
        return false;
      });
    };
  }
  if (routes === null || typeof routes !== 'object') invalidOption('routes', routes, 'must be an object of path prefixes, or a function');
  const table = Object.entries(routes).map(([prefix, keys]) => {
    if (!PREFIX.test(prefix) || (prefix.length > 1 && prefix.endsWith('/'))) {
      invalidOption(`routes[${JSON.stringify(prefix)}]`, prefix, 'must be a path prefix such as "/skills": a leading "/", no trailing "/", no spaces, "?" or "#"');
    }
    if (!Array.isArray(keys)) invalidOption(`routes[${JSON.stringify(prefix)}]`, keys, 'must be an array of experiment keys');
    keys.forEach((key, i) => {
      if (!known.has(key)) invalidOption(`routes[${JSON.stringify(prefix)}][${i}]`, key, `must name a known experiment (${[...known].join(', ')})`);
    });
    return { prefix, keys: keys as readonly string[] };
  });
  return (request) => {
    const path = request.nextUrl.pathname;
    const keys = new Set<string>();
    for (const { prefix, keys: routeKeys } of table) {
      if (prefix === '/' || path === prefix || path.startsWith(`${prefix}/`)) for (const key of routeKeys) keys.add(key);
    }
    return [...keys];
  };
}
