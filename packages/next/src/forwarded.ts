import { BUCKETS, describeValue, type Assignment, type AssignmentReason, type Experiment } from '@bucketry/core';

/**
 * The request header that carries the proxy's assignments to Server Components and route
 * handlers: `<signature>.<assignments>`, signed with the deployment's secret (HMAC-SHA-256). The
 * proxy replaces any copy a client sends; on a route the proxy does not run for, a client's copy
 * reaches the page, and `fromHeaders` refuses it (reported) because the client cannot sign it.
 *
 * @example
 * ```ts
 * // In a route handler, to see what the proxy forwarded:
 * request.headers.get(ASSIGNMENTS_HEADER); // 'q3V…Xw=.%5B%7B%22experiment%22%3A%22skill_tree_layout%22...'
 * ```
 */
export const ASSIGNMENTS_HEADER = 'x-bucketry-assignments';

/** The longest unit key accepted back from the header (the proxy writes what core gave it). */
const MAX_UNIT_LENGTH = 1024;

// Every reason core can give; a Record makes the compiler insist on all of them.
const REASONS: Readonly<Record<AssignmentReason, true>> = {
  bucketed: true,
  sticky: true,
  override: true,
  disabled: true,
  ineligible: true,
  holdout: true,
  layer: true,
  traffic: true,
  missing_unit: true,
  error: true,
  server: true,
};

/** The plain fields of an assignment (no `error`): what crosses into client components. */
export const plainAssignment = <V extends string>({ experiment, variant, value, inExperiment, reason, bucket, unit }: Assignment<V>): Assignment<V> => ({
  experiment,
  variant,
  value,
  inExperiment,
  reason,
  bucket,
  unit,
});

/**
 * The header value: the assignments (plain, see {@link plainAssignment}) as JSON, percent-encoded
 * so that any unit id stays ASCII. Without the variants' values (up to 64 KiB each, too much for a
 * request header): the page takes them from its own copy of the experiments.
 */
export const encodeAssignments = (assignments: readonly Assignment[]): string =>
  encodeURIComponent(JSON.stringify(assignments.map(({ value: _, ...rest }) => rest)));

/** Why an entry was not accepted, as every Bucketry message says it: the field, the rule and the value. */
const problem = (field: string, rule: string, value: unknown): string => `${field} ${rule}, got ${describeValue(value)}`;

/** Why forwarded entry `i` was not accepted, or `undefined` when it is a valid assignment of a known experiment. */
function problemWith(entry: unknown, i: number, byKey: ReadonlyMap<string, Experiment>): string | undefined {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return problem(`[${i}]`, 'must be an assignment', entry);
  const { experiment, variant, inExperiment, reason, bucket, unit } = entry as Record<string, unknown>;
  const known = typeof experiment === 'string' ? byKey.get(experiment) : undefined;
  if (known === undefined) return problem(`[${i}].experiment`, 'must name a known experiment', experiment);
  if (typeof variant !== 'string' || !known.variants.includes(variant)) return problem(`[${i}].variant`, `must be a variant of ${known.key}`, variant);
  if (typeof inExperiment !== 'boolean') return problem(`[${i}].inExperiment`, 'must be true or false', inExperiment);
  if (typeof reason !== 'string' || !Object.hasOwn(REASONS, reason)) return problem(`[${i}].reason`, 'must be an assignment reason', reason);
  if (typeof bucket !== 'number' || !Number.isInteger(bucket) || bucket < -1 || bucket >= BUCKETS) {
    return problem(`[${i}].bucket`, `must be a whole number from -1 to ${BUCKETS - 1}`, bucket);
  }
  if (typeof unit !== 'string' || unit.length > MAX_UNIT_LENGTH) return problem(`[${i}].unit`, `must be a unit key of at most ${MAX_UNIT_LENGTH} characters`, unit);
  return undefined;
}

/**
 * Reads the header back: the valid assignments of known experiments (the first per experiment),
 * and what was wrong with the rest.
 */
export function decodeAssignments(
  value: string,
  byKey: ReadonlyMap<string, Experiment>,
): { readonly assignments: ReadonlyMap<string, Assignment>; readonly problems: readonly string[] } {
  const assignments = new Map<string, Assignment>();
  let entries: unknown;
  try {
    entries = JSON.parse(decodeURIComponent(value));
  } catch {
    return { assignments, problems: [`${ASSIGNMENTS_HEADER} is not percent-encoded JSON`] };
  }
  if (!Array.isArray(entries)) return { assignments, problems: [`${ASSIGNMENTS_HEADER} is not a JSON array`] };
  const problems: string[] = [];
  for (let i = 0; i < entries.length && i < byKey.size; i++) {
    const entry: unknown = entries[i];
    const found = problemWith(entry, i, byKey);
    if (found !== undefined) problems.push(found);
    else if (!assignments.has((entry as Assignment).experiment)) {
      const { experiment, variant } = entry as Assignment;
      assignments.set(experiment, plainAssignment({ ...(entry as Assignment), value: byKey.get(experiment)!.values?.[variant] }));
    }
  }
  if (entries.length > byKey.size) problems.push(`${entries.length - byKey.size} entries past the ${byKey.size} known experiments were ignored`);
  return { assignments, problems };
}
