import { assignVariant, type Assignment } from './assign.js';
import { fallbackAssignment } from './outcome.js';
import type { Attributes } from './eligibility.js';
import type { Experiment } from './experiment.js';
import { seedFor } from './seed.js';
import type { Unit } from './unit.js';
import { check, checkObject } from './validate.js';
import { xxhash32 } from './xxhash32.js';

/** The seed purpose of interleaving's coin flips (docs/spec.md §4.3, §13). @internal */
export const INTERLEAVE_PURPOSE = 6;
/** The longest ranking, and the longest list, interleave takes (docs/spec.md §13). @internal */
export const MAX_RANKING = 10_000;

/**
 * What {@link interleave} merges: two rankings of item ids (best first) for one query.
 *
 * @example
 * ```ts
 * const request: InterleaveRequest = { query: 'skills:rust', a: ['s1', 's2', 's3'], b: ['s3', 's1', 's4'], length: 3 };
 * ```
 */
export interface InterleaveRequest {
  /** What the rankings answer (a search, a page): the same unit gets a new draw per query. */
  readonly query: string;
  /** Ranker A's item ids, best first: the control ranker, what units outside the experiment see. */
  readonly a: readonly string[];
  /** Ranker B's item ids, best first. */
  readonly b: readonly string[];
  /** How many items to show, 1 to 10,000. */
  readonly length: number;
  /** `team-draft` (default; Radlinski et al. 2008) or `balanced` (Joachims 2002). */
  readonly method?: 'team-draft' | 'balanced';
}

/**
 * One shown item: its id and the team credited with a click on it. `null` is no team: an item
 * shown after one ranking ran out, or any item of a list that is not interleaved.
 *
 * @example
 * ```ts
 * const item: InterleavedItem = { id: 's3', team: 'B' };
 * ```
 */
export interface InterleavedItem {
  readonly id: string;
  readonly team: 'A' | 'B' | null;
}

/**
 * The list a unit sees. Units the experiment puts in a treatment see the two rankings merged;
 * everyone else (control, the kill switch, not eligible, out of traffic) sees ranking A alone.
 *
 * @example
 * ```ts
 * const { items, interleaved } = interleave(skillOrder, 'user-42', { query: 'home', a: rankerA, b: rankerB, length: 10 });
 * render(items.map((item) => item.id));
 * ```
 */
export interface Interleaving {
  readonly assignment: Assignment;
  readonly query: string;
  readonly method: 'team-draft' | 'balanced';
  /** Whether `items` merge both rankings (and so whether an exposure is due). */
  readonly interleaved: boolean;
  readonly items: readonly InterleavedItem[];
}

// Up to this many ids, a scan beats a Set: no allocation, and ids are short strings compared by length first.
const SCAN_UP_TO = 64;

/** Whether `id` is among the first `count` of `ids` (`seen` holds them all when there are many). */
const among = (ids: readonly string[], count: number, id: string, seen: Set<string> | undefined): boolean => {
  if (seen !== undefined) return seen.has(id);
  for (let i = 0; i < count; i++) if (ids[i] === id) return true;
  return false;
};

const checkRanking = (field: 'a' | 'b', ranking: unknown): readonly string[] => {
  check(Array.isArray(ranking) && ranking.length <= MAX_RANKING, field, ranking, 'must be an array of at most 10000 item ids');
  const ids = ranking as readonly string[];
  const seen = ids.length > SCAN_UP_TO ? new Set<string>() : undefined;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as unknown;
    // The path is built only for an error: this loop runs on every ranked page.
    if (typeof id !== 'string' || id === '') check(false, `${field}[${i}]`, id, 'must be a non-empty string id');
    if (among(ids, i, id as string, seen)) check(false, `${field}[${i}]`, id, 'must appear once in its ranking');
    seen?.add(id as string);
  }
  return ids;
};

// Each experiment's interleaving seed, derived once.
const seeds = new WeakMap<Experiment, number>();

/**
 * The coin flips of one unit and query: flip `t` is bit `t mod 32` of
 * XXH32(UTF-8(json(unit key) + json(query)), (seed + floor(t / 32)) mod 2^32), 1 meaning A.
 */
const coins = (unitKey: string, query: string, experiment: Experiment): ((t: number) => boolean) => {
  const text = JSON.stringify(unitKey) + JSON.stringify(query);
  let seed = seeds.get(experiment);
  if (seed === undefined) seeds.set(experiment, (seed = seedFor(experiment.salt, INTERLEAVE_PURPOSE)));
  let word = -1;
  let bits = 0;
  return (t) => {
    if (t >>> 5 !== word) bits = xxhash32(text, (seed + (word = t >>> 5)) >>> 0);
    return ((bits >>> (t & 31)) & 1) === 1;
  };
};

/** Team-draft: the team with fewer picks picks its best unused item; a tie is a coin flip. */
function teamDraft(a: readonly string[], b: readonly string[], length: number, coin: (t: number) => boolean): InterleavedItem[] {
  const items: InterleavedItem[] = [];
  const shown: string[] = [];
  const used = length > SCAN_UP_TO ? new Set<string>() : undefined;
  const isUsed = (id: string): boolean => among(shown, shown.length, id, used);
  let ia = 0;
  let ib = 0;
  let picksA = 0;
  let picksB = 0;
  let ties = 0;
  while (items.length < length) {
    while (ia < a.length && isUsed(a[ia]!)) ia++;
    while (ib < b.length && isUsed(b[ib]!)) ib++;
    const aLeft = ia < a.length;
    const bLeft = ib < b.length;
    if (!aLeft && !bLeft) break;
    // Once a ranking runs out, the other fills the list uncredited, so neither team gains clicks from it.
    const team = aLeft && bLeft ? (picksA < picksB || (picksA === picksB && coin(ties++)) ? 'A' : 'B') : null;
    const id = team === 'A' || (team === null && aLeft) ? a[ia++]! : b[ib++]!;
    if (team === 'A') picksA++;
    else if (team === 'B') picksB++;
    items.push({ id, team });
    shown.push(id);
    used?.add(id);
  }
  return items;
}

/** Balanced: the ranking whose pointer is behind adds its next item (skipped when shown); one flip says who starts. */
function balanced(a: readonly string[], b: readonly string[], length: number, coin: (t: number) => boolean): InterleavedItem[] {
  const items: InterleavedItem[] = [];
  const shown: string[] = [];
  const used = length > SCAN_UP_TO ? new Set<string>() : undefined;
  const aFirst = coin(0);
  let ka = 0;
  let kb = 0;
  while (items.length < length && (ka < a.length || kb < b.length)) {
    const both = ka < a.length && kb < b.length;
    const fromA = both ? ka < kb || (ka === kb && aFirst) : ka < a.length;
    const id = fromA ? a[ka++]! : b[kb++]!;
    if (among(shown, shown.length, id, used)) continue;
    shown.push(id);
    used?.add(id);
    items.push({ id, team: both ? (fromA ? 'A' : 'B') : null });
  }
  return items;
}

/**
 * Interleaves two rankings for a unit, deterministically (docs/spec.md §13): the same unit,
 * query and rankings give the same list in every runtime, so a reload never reshuffles. The
 * experiment decides who is in, as for any assignment (kill switch, overrides, eligibility,
 * traffic, rollout): a unit it gives a treatment sees the merge, anyone else ranking A alone.
 * Never throws: bad input (a ranking that is not an array of unique non-empty ids, a length below
 * 1) gives ranking A's valid ids, not interleaved, with `reason: 'error'` and an
 * {@link ExperimentConfigError} naming the field as `assignment.error` (a request whose getter or
 * Proxy trap throws: what it threw, and what could be read of ranking A). Show the list, then
 * `bucketry.expose(list)` writes its exposure.
 *
 * @example
 * ```ts
 * const skillOrder = defineExperiment({ key: 'skill_order', variants: ['ranker_a', 'interleaved'], rollout: 100 });
 * const list = interleave(skillOrder, 'user-42', { query: 'home', a: ['s1', 's2', 's3'], b: ['s3', 's4', 's1'], length: 3 });
 * list.items; // e.g. [{ id: 's1', team: 'A' }, { id: 's3', team: 'B' }, { id: 's4', team: 'B' }]
 * bucketry.expose(list); // once shown: the exposure records the items and their teams
 * ```
 */
export function interleave(
  experiment: Experiment,
  unit: Unit | null | undefined,
  request: InterleaveRequest,
  attributes?: Attributes | null,
): Interleaving {
  let query: string;
  let a: readonly string[];
  let b: readonly string[];
  let length: number;
  let method: 'team-draft' | 'balanced';
  // What was read of the request, for the fallback: each field is read once, inside the try, so
  // that a getter or Proxy trap that throws refuses the request as bad input does.
  let given: Partial<InterleaveRequest> | undefined;
  try {
    checkObject('request', request, 'an object with query, a, b and length');
    ({ query, a, b, length, method = 'team-draft' } = request);
    given = { query, a, length };
    check(typeof query === 'string', 'query', query, 'must be a string');
    a = checkRanking('a', a);
    b = checkRanking('b', b);
    check(Number.isInteger(length) && length >= 1 && length <= MAX_RANKING, 'length', length, 'must be a whole number from 1 to 10000');
    check(method === 'team-draft' || method === 'balanced', 'method', method, 'must be team-draft or balanced');
  } catch (error) {
    return fallbackInterleaving(experiment, given, error);
  }
  const assignment = assignVariant(experiment, unit, attributes);
  const interleaved = assignment.inExperiment && assignment.variant !== experiment.control;
  // The coins only for a merge: a unit kept out pays for no JSON text of its key and query.
  const items = interleaved
    ? (method === 'balanced' ? balanced : teamDraft)(a, b, length, coins(assignment.unit, query, experiment))
    : a.slice(0, length).map((id): InterleavedItem => ({ id, team: null }));
  return { assignment, query, method, interleaved, items };
}

/** What a bad request shows: ranking A's valid ids, uncredited, with control's assignment carrying the error. */
function fallbackInterleaving(experiment: Experiment, given: Partial<InterleaveRequest> | undefined, error: unknown): Interleaving {
  const length = given?.length;
  let items: InterleavedItem[] = [];
  try {
    const a = [...new Set((given!.a as readonly unknown[]).filter((id): id is string => typeof id === 'string' && id !== ''))];
    items = a.slice(0, Number.isInteger(length) && length! > 0 ? length : a.length).map((id): InterleavedItem => ({ id, team: null }));
  } catch {
    // No ranking A to show: none read, no filter (not an array), or its reads throw (a Proxy). The assignment carries the first error.
  }
  return {
    // Control's value too, as every outcome of an experiment with values carries (docs/spec.md §5.7).
    assignment: fallbackAssignment(experiment, experiment.control, error),
    query: typeof given?.query === 'string' ? given.query : '',
    method: 'team-draft',
    interleaved: false,
    items,
  };
}
