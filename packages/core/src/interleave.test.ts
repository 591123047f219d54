import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineExperiment } from './experiment.js';
import { interleave, type InterleaveRequest, type InterleavedItem } from './interleave.js';
import { ExperimentConfigError } from './errors.js';

const boom = new Error('trap');
const order = defineExperiment({ key: 'skill_order', variants: ['ranker_a', 'interleaved'], rollout: 100 });

// Two rankings drawn from a small pool, so that they overlap often.
const ranking = fc.uniqueArray(fc.integer({ min: 0, max: 30 }).map((i) => `s${i}`), { maxLength: 25 });
const requests = fc.record({
  query: fc.string({ maxLength: 8 }),
  a: ranking,
  b: ranking,
  length: fc.integer({ min: 1, max: 40 }),
  method: fc.constantFrom('team-draft' as const, 'balanced' as const),
});
const units = fc.string({ minLength: 1, maxLength: 12 });

const idsOf = (items: readonly InterleavedItem[], team?: 'A' | 'B'): string[] => items.filter((item) => team === undefined || item.team === team).map((item) => item.id);
/** Whether `sub` appears in `list` in the same order (not necessarily next to each other). */
const inOrder = (sub: readonly string[], list: readonly string[]): boolean => {
  let at = 0;
  for (const id of list) if (id === sub[at]) at++;
  return at === sub.length;
};

describe('interleave', () => {
  it('shows only the rankings’ items, each once, as many as asked or as there are', () => {
    fc.assert(
      fc.property(units, requests, (unit, request) => {
        const { items } = interleave(order, unit, request);
        const ids = idsOf(items);
        const union = new Set([...request.a, ...request.b]);
        expect(ids.every((id) => union.has(id))).toBe(true);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.length).toBe(Math.min(request.length, union.size));
      }),
    );
  });

  it('keeps each team’s items in its ranking’s order', () => {
    fc.assert(
      fc.property(units, requests, (unit, request) => {
        const { items } = interleave(order, unit, request);
        expect(inOrder(idsOf(items, 'A'), request.a)).toBe(true);
        expect(inOrder(idsOf(items, 'B'), request.b)).toBe(true);
      }),
    );
  });

  it('team-draft: at every prefix the two teams’ counts differ by at most one', () => {
    fc.assert(
      fc.property(units, requests, (unit, request) => {
        const { items } = interleave(order, unit, { ...request, method: 'team-draft' });
        let a = 0;
        let b = 0;
        for (const item of items) {
          if (item.team === 'A') a++;
          if (item.team === 'B') b++;
          expect(Math.abs(a - b)).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('balanced: every prefix is the top ka of A and top kb of B with ka and kb at most one apart', () => {
    fc.assert(
      fc.property(units, requests, (unit, request) => {
        const { a, b } = request;
        const { items } = interleave(order, unit, { ...request, method: 'balanced', length: a.length + b.length || 1 });
        const shown = new Set<string>();
        for (const item of items) {
          shown.add(item.id);
          // Both rankings still have items: some ka, kb one apart cover exactly what is shown.
          if (item.team === null) break;
          const covers = (ka: number, kb: number) => new Set([...a.slice(0, ka), ...b.slice(0, kb)]).size === shown.size && [...a.slice(0, ka), ...b.slice(0, kb)].every((id) => shown.has(id));
          let found = false;
          for (let ka = 0; ka <= a.length && !found; ka++) for (const kb of [ka - 1, ka, ka + 1]) if (kb >= 0 && kb <= b.length && covers(ka, kb)) found = true;
          expect(found).toBe(true);
        }
      }),
    );
  });

  it('gives a unit the same list on every call, and a new draw per query', () => {
    fc.assert(
      fc.property(units, requests, (unit, request) => {
        expect(interleave(order, unit, request)).toEqual(interleave(order, unit, { ...request, a: [...request.a], b: [...request.b] }));
      }),
    );
    const a = Array.from({ length: 20 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 20 }, (_, i) => `b${i}`);
    const lists = new Set(Array.from({ length: 50 }, (_, i) => idsOf(interleave(order, 'user-1', { query: `q${i}`, a, b, length: 20 }).items).join()));
    expect(lists.size).toBeGreaterThan(40);
  });

  it('flips a fair coin on ties: A leads about half the lists', () => {
    const a = ['a1', 'a2'];
    const b = ['b1', 'b2'];
    const leadsA = Array.from({ length: 4_000 }, (_, i) => interleave(order, `user-${i}`, { query: 'home', a, b, length: 1 }).items[0]!.team === 'A');
    const share = leadsA.filter(Boolean).length / leadsA.length;
    // 4,000 fair flips: 5 standard errors either side of 0.5 is ±0.04.
    expect(Math.abs(share - 0.5)).toBeLessThan(0.04);
  });

  it('shows units the experiment keeps out ranking A alone, uncredited and not interleaved', () => {
    const request: InterleaveRequest = { query: 'home', a: ['s1', 's2', 's3'], b: ['s9', 's8'], length: 2 };
    const killed = defineExperiment({ key: 'skill_order', variants: ['ranker_a', 'interleaved'], rollout: 0 });
    const result = interleave(killed, 'user-1', request);
    expect(result).toMatchObject({ interleaved: false, items: [{ id: 's1', team: null }, { id: 's2', team: null }] });
    expect(result.assignment.reason).toBe('disabled');
    expect(interleave(order, undefined, request).interleaved).toBe(false);
  });

  it('fills the list from the other ranking, uncredited, once one runs out', () => {
    for (const unit of ['user-1', 'user-2', 'user-3', 'user-4']) {
      const { items } = interleave(order, unit, { query: 'home', a: ['s1'], b: ['s2', 's3', 's4'], length: 4 });
      const firstUncredited = items.findIndex((item) => item.team === null);
      expect(items.find((item) => item.id === 's1')?.team).toBe('A');
      expect(firstUncredited).toBeGreaterThan(0);
      expect(items.slice(firstUncredited).every((item) => item.team === null)).toBe(true);
      expect(idsOf(items).filter((id) => id !== 's1')).toEqual(['s2', 's3', 's4']);
    }
  });

  it.each([
    ['query', { query: 7 }, 'query', 'must be a string', ['s1', 's2']],
    ['a not an array', { a: 's1' }, 'a', 'must be an array', []],
    ['a number id', { a: ['s1', 2] }, 'a[1]', 'must be a non-empty string id', ['s1']],
    ['an empty id', { b: ['s1', ''] }, 'b[1]', 'must be a non-empty string id', ['s1', 's2']],
    ['an id twice in one ranking', { a: ['s1', 's2', 's1'] }, 'a[2]', 'must appear once in its ranking', ['s1', 's2']],
    // A length that is no length shows all of ranking A's valid ids.
    ['length 0', { length: 0 }, 'length', 'from 1 to 10000', ['s1', 's2', 's4']],
    ['a fractional length', { length: 2.5 }, 'length', 'from 1 to 10000', ['s1', 's2', 's4']],
    ['an unknown method', { method: 'probabilistic' }, 'method', 'team-draft or balanced', ['s1', 's2']],
  ])('refuses %s without throwing: ranking A, reason error, the error naming the field', (_, change, field, rule, ids) => {
    const shown = interleave(order, 'user-1', { query: 'q', a: ['s1', 's2', 's4'], b: ['s2', 's3'], length: 2, ...change } as never);
    expect(shown.assignment.error).toBeInstanceOf(ExperimentConfigError);
    const error = shown.assignment.error as ExperimentConfigError;
    expect(error.field).toBe(field);
    expect(error.rule).toContain(rule);
    expect(shown).toMatchObject({ interleaved: false, assignment: { reason: 'error', variant: 'ranker_a' } });
    expect(shown.items).toEqual(ids.map((id) => ({ id, team: null })));
  });

  it.each([
    ['null', null],
    ['an array', [{ query: 'q', a: ['s1'], b: ['s2'], length: 1 }]],
    ['a string', 'home'],
  ])('refuses a request that is %s (not a map), naming request', (_, request) => {
    const shown = interleave(order, 'user-1', request as never);
    expect(shown.assignment.error).toBeInstanceOf(ExperimentConfigError);
    expect((shown.assignment.error as ExperimentConfigError).field).toBe('request');
    expect(shown).toMatchObject({ interleaved: false, items: [], assignment: { reason: 'error', variant: 'ranker_a' } });
  });

  it.each([
    ['a getter of a that throws', () => ({ query: 'q', b: [], length: 2, get a(): string[] { throw boom; } }), ''],
    ['a Proxy whose get trap throws', () => new Proxy({ query: 'q', a: ['s1'], b: [], length: 2 }, { get: () => { throw boom; } }), ''],
    ['a ranking A whose items cannot be read', () => ({ query: 'q', a: new Proxy(['s1', 's2'], { get: (t, k) => { if (k === '0') throw boom; return Reflect.get(t, k); } }), b: [], length: 2 }), 'q'],
  ])('does not throw for %s: nothing shown, reason error, what was thrown as the error', (_, request, query) => {
    const shown = interleave(order, 'user-1', request() as never);
    expect(shown.assignment.error).toBe(boom);
    expect(shown).toMatchObject({ query, interleaved: false, items: [], assignment: { reason: 'error', variant: 'ranker_a' } });
  });

  it('shows ranking A’s valid ids when the request is broken', () => {
    expect(interleave(order, 'user-1', { query: 'q', a: ['s1', 2, 's1', 's3'], b: [], length: 5 } as never).items.map((i) => i.id)).toEqual(['s1', 's3']);
    expect(interleave(order, 'user-1', null as never).items).toEqual([]);
  });

  it('gives a broken request control’s value, when the variants have values (§5.7)', () => {
    const valued = defineExperiment({ key: 'skill_order', variants: ['ranker_a', 'interleaved'], rollout: 100, values: { ranker_a: 'path', interleaved: 'mixed' } });
    expect(interleave(valued, 'user-1', { query: 'q', a: ['s1'], b: ['s2'], length: 0 }).assignment).toMatchObject({ reason: 'error', variant: 'ranker_a', value: 'path' });
  });
});
