import { fallbackAssignment, type Assignment, type Experiment } from '@bucketry/core';
import type { ExperimentKey, HttpSettings, VariantOf } from '@bucketry/http';
import type { NextRequest } from 'next/server.js';
import { ASSIGNMENTS_HEADER, decodeAssignments } from './forwarded.js';
import type { ForwardedSignature } from './forwarded-signature.js';

/**
 * Request headers as Server Components (`await headers()`) and route handlers (`request.headers`)
 * see them.
 *
 * @example
 * ```ts
 * const source: HeadersLike = await headers();
 * bucketry.fromHeaders(source).variant('skill_tree_layout');
 * ```
 */
export interface HeadersLike {
  get(name: string): string | null;
}

/**
 * The proxy's assignments as a Server Component or route handler reads them.
 *
 * @example
 * ```tsx
 * const experiments: ServerExperiments<typeof skillTree> = bucketry.fromHeaders(await headers());
 * return <ExperimentProvider assignments={experiments.assignments}>{children}</ExperimentProvider>;
 * ```
 */
export interface ServerExperiments<E extends Experiment = Experiment> {
  /**
   * The forwarded assignments, as plain objects with their experiment's `configVersion`: what
   * `@bucketry/react`'s `ExperimentProvider` takes as `assignments`.
   */
  readonly assignments: readonly (Assignment & { readonly configVersion: string })[];
  /** The variant to render. Control (reported to `onError`) when the proxy did not assign this experiment. */
  variant<K extends ExperimentKey<E>>(key: K): VariantOf<E, K>;
  /** Like {@link ServerExperiments.variant}, with the reason, bucket and unit. */
  assignment<K extends ExperimentKey<E>>(key: K): Assignment<VariantOf<E, K>>;
}

/**
 * Reads what the proxy forwarded in `source`. A header the proxy did not sign (a client's own, on
 * a route the proxy does not run for) is refused and reported, as is every request without a
 * secret; an experiment the proxy did not assign (or a page the proxy did not run for) gets
 * control, reported once per key; invalid entries are reported and ignored.
 */
export function readForwarded(http: HttpSettings<NextRequest>, signature: ForwardedSignature | Error, source: HeadersLike): ServerExperiments {
  const { report, byKey, experiment } = http;
  let raw: string | null = null;
  try {
    raw = source.get(ASSIGNMENTS_HEADER);
  } catch (error) {
    report(error, { source: 'forwarded' });
  }
  let forwarded: ReadonlyMap<string, Assignment> = new Map();
  /** Why nothing forwarded is believed: no secret (whether or not a header came), or a header the proxy did not sign. */
  let refused: string | undefined;
  if (signature instanceof Error) {
    report(signature, { source: 'forwarded' });
    refused = 'no secret';
  } else if (raw !== null) {
    const value = signature.open(raw);
    if (value === undefined) {
      // A client's own copy (the proxy did not run), or a proxy with another secret.
      refused = "not signed by this app's proxy";
      report(new Error(`${ASSIGNMENTS_HEADER} refused: ${refused}; showing control`), { source: 'forwarded' });
    } else {
      const decoded = decodeAssignments(value, byKey);
      forwarded = decoded.assignments;
      if (decoded.problems.length > 0) report(new Error(`ignored in ${ASSIGNMENTS_HEADER}: ${decoded.problems.join('; ')}`), { source: 'forwarded' });
    }
  }
  const fallbacks = new Map<string, Assignment>();
  const assignment = (key: string): Assignment => {
    const found = forwarded.get(key);
    if (found !== undefined) return found;
    let fallback = fallbacks.get(key);
    if (fallback === undefined) {
      const known = experiment(key);
      const error = new Error(
        refused !== undefined
          ? `${ASSIGNMENTS_HEADER} refused: ${refused}; showing control`
          : raw === null
            ? `no ${ASSIGNMENTS_HEADER} header: the proxy did not run for this request (see config.matcher in proxy.ts), or the page was rendered without a request (static or cached); showing control`
            : `the proxy did not assign ${key} on this route (see routes); showing control`,
      );
      report(error, { source: 'forwarded', experiment: key });
      fallback = fallbackAssignment(known, known.control, error);
      fallbacks.set(key, fallback);
    }
    return fallback;
  };
  return {
    assignments: [...forwarded.values()].map((a) => ({ ...a, configVersion: byKey.get(a.experiment)!.version })),
    assignment: assignment as ServerExperiments['assignment'],
    variant: ((key: string) => assignment(key).variant) as ServerExperiments['variant'],
  };
}
