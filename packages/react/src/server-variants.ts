import { serverAssignment, type Experiment } from '@bucketry/core';
import { experimentCookieName, experimentHeaderName } from '@bucketry/http';
import type { BootstrapAssignment } from './experiment-store.js';

/** What the helpers need of an experiment: core's `defineExperiment` result, or a client's `experiments`. */
type SentExperiment = Pick<Experiment, 'key' | 'variants'>;

// A variant alone says neither whether the unit is in the experiment nor who the unit is: the
// server that chose it knows, and has exposed it; the page must not count it a second time.
const sent = (experiments: readonly SentExperiment[], read: (key: string) => string | null | undefined): BootstrapAssignment[] =>
  experiments.flatMap((experiment) => serverAssignment(experiment, read(experiment.key)) ?? []);

/**
 * The variants a server sent in its `X-Experiment-<Name>` response headers (as `@bucketry/express`
 * and `@bucketry/next` write them), as `assignments` for {@link ExperimentProvider}. Each has
 * `reason: 'server'` and `inExperiment: false`: a header says only the variant, and the server
 * that chose it has exposed it, so the provider never exposes these. A missing header, or a
 * value that is not one of the experiment's variants, gives no assignment for that experiment.
 *
 * @example
 * ```tsx
 * // A server component or loader that calls the API that assigned:
 * const response = await fetch('https://api.example.com/api/v1/skills/tree', { headers: { 'X-User-Id': userId } });
 * const assignments = assignmentsFromHeaders([skillTreeLayout], response.headers);
 * // [{ experiment: 'skill_tree_layout', variant: 'list', inExperiment: false, reason: 'server', bucket: -1, unit: '' }]
 * <ExperimentProvider assignments={assignments}>…</ExperimentProvider>
 * ```
 */
export function assignmentsFromHeaders(
  experiments: readonly SentExperiment[],
  headers: { get(name: string): string | null },
): BootstrapAssignment[] {
  return sent(experiments, (key) => headers.get(experimentHeaderName(key)));
}

/**
 * The variants a server set in its `exp_<key>` cookies, as `assignments` for
 * {@link ExperimentProvider}: from `document.cookie` in the browser, or the `Cookie` header you
 * pass on the server. Scripts can read them only if the server did not make them `HttpOnly`
 * (`@bucketry/express`'s default): set its `cookies: { httpOnly: false }`. Like
 * {@link assignmentsFromHeaders}: `reason: 'server'`, `inExperiment: false`, never exposed by the
 * provider, and a tampered or unknown value is ignored.
 *
 * @example
 * ```tsx
 * // In the browser, before the first render: a returning visitor's layout, with no request.
 * hydrateRoot(container, (
 *   <ExperimentProvider assignments={assignmentsFromCookies([skillTreeLayout])}>
 *     <App />
 *   </ExperimentProvider>
 * ));
 * // On the server, the same from the request: assignmentsFromCookies([skillTreeLayout], request.headers.get('cookie') ?? '')
 * ```
 */
export function assignmentsFromCookies(
  experiments: readonly SentExperiment[],
  cookies: string | undefined = globalThis.document?.cookie,
): BootstrapAssignment[] {
  // Browsers and HTTP clients join cookies with "; " (RFC 6265): the first `exp_<key>=` after one is ours.
  return sent(experiments, (key) => `; ${cookies}`.split(`; ${experimentCookieName(key)}=`)[1]?.split(';')[0]);
}
