import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ExperimentConfigError } from '../errors.js';
import { EXPOSURE_EVENT, type ExposureEvent, type ExposureSink, type InterleavingRecord } from '../exposure.js';
import { createRecentExposures, rememberedOf, withDedupe } from './dedupe.js';
import { createMemorySink } from './memory-sink.js';

const event = (unit: string, variant = 'list', experiment = 'skill_tree_layout'): ExposureEvent => ({
  event: EXPOSURE_EVENT,
  experiment,
  variant,
  unit,
  reason: 'bucketed',
  bucket: 42,
  timestamp: '2026-01-01T00:00:00.000Z',
  configVersion: 'v1',
  eventId: `event-${unit}`,
});

const written = (sink: { events: ExposureEvent[] }) => sink.events.map((e) => `${e.experiment}/${e.unit}/${e.variant}`);

describe('withDedupe', () => {
  it('writes each (experiment, unit, variant) once', () => {
    const inner = createMemorySink();
    const sink = withDedupe(inner);
    sink.write(event('user-1'));
    sink.write(event('user-1'));
    sink.write(event('user-2'));
    sink.write(event('user-1', 'list', 'hero_copy'));
    sink.write(event('user-2'));
    expect(written(inner)).toEqual(['skill_tree_layout/user-1/list', 'skill_tree_layout/user-2/list', 'hero_copy/user-1/list']);
  });

  it('writes again when the unit moves to another variant', () => {
    const inner = createMemorySink();
    const sink = withDedupe(inner);
    sink.write(event('user-1', 'list'));
    sink.write(event('user-1', 'tree'));
    sink.write(event('user-1', 'tree'));
    expect(written(inner)).toEqual(['skill_tree_layout/user-1/list', 'skill_tree_layout/user-1/tree']);
  });

  it('writes again when the unit comes back to a variant it had before (one variant is remembered per unit)', () => {
    const inner = createMemorySink();
    const sink = withDedupe(inner);
    for (const variant of ['list', 'tree', 'list', 'list']) sink.write(event('user-1', variant));
    expect(written(inner)).toEqual(['skill_tree_layout/user-1/list', 'skill_tree_layout/user-1/tree', 'skill_tree_layout/user-1/list']);
  });

  it('forgetting the oldest slot never drops a newer variant of the same unit', () => {
    const inner = createMemorySink();
    const sink = withDedupe(inner, { maxKeys: 3 });
    sink.write(event('user-1', 'list')); // slot 0
    sink.write(event('user-1', 'tree')); // slot 1
    sink.write(event('user-2')); // slot 2
    sink.write(event('user-3')); // slot 0 again: forgets user-1/list, which is no longer remembered
    inner.clear();
    sink.write(event('user-1', 'tree'));
    sink.write(event('user-3'));
    expect(inner.events).toHaveLength(0);
  });

  it('keeps fields apart: no two different triples share a key', () => {
    const inner = createMemorySink();
    const sink = withDedupe(inner);
    sink.write(event('a-b', 'c'));
    sink.write(event('a', 'b-c'));
    expect(inner.events).toHaveLength(2);
  });

  it('remembers at most maxKeys: after maxKeys + N distinct keys the N oldest are forgotten and written again', () => {
    const inner = createMemorySink();
    const maxKeys = 100;
    const extra = 5;
    const sink = withDedupe(inner, { maxKeys });
    for (let n = 0; n < maxKeys + extra; n++) sink.write(event(`user-${n}`));
    expect(inner.events).toHaveLength(maxKeys + extra);
    inner.clear();

    // The newest maxKeys are still remembered...
    for (let n = extra; n < maxKeys + extra; n++) sink.write(event(`user-${n}`));
    expect(inner.events).toHaveLength(0);
    // ...and the oldest ones were forgotten, so they are written again.
    for (let n = 0; n < extra; n++) sink.write(event(`user-${n}`));
    expect(written(inner)).toEqual(Array.from({ length: extra }, (_, n) => `skill_tree_layout/user-${n}/list`));
  });

  it('keeps a unit\'s other experiments when one of its pairs is evicted or forgotten', () => {
    const recent = createRecentExposures(3);
    expect(recent.add({ experiment: 'a', unit: 'user-1', variant: 'x' })).toBe(true);
    expect(recent.add({ experiment: 'b', unit: 'user-1', variant: 'y' })).toBe(true);
    expect(recent.add({ experiment: 'c', unit: 'user-1', variant: 'z' })).toBe(true);
    recent.forget({ experiment: 'b', unit: 'user-1', variant: 'y' });
    expect(recent.add({ experiment: 'a', unit: 'user-1', variant: 'x' })).toBe(false);
    expect(recent.add({ experiment: 'c', unit: 'user-1', variant: 'z' })).toBe(false);
    expect(recent.add({ experiment: 'b', unit: 'user-1', variant: 'y' })).toBe(true); // fills the oldest slot: ('a', user-1, x) goes
    expect(recent.add({ experiment: 'c', unit: 'user-1', variant: 'z' })).toBe(false);
    expect(recent.add({ experiment: 'b', unit: 'user-1', variant: 'y' })).toBe(false);
    expect(recent.add({ experiment: 'a', unit: 'user-1', variant: 'x' })).toBe(true);
  });

  it('answers like a list of the last maxKeys pairs remembered, whatever the order of calls', () => {
    // The model: the last maxKeys remembered (experiment, unit) pairs with their
    // variant, where a newer variant of a pair replaces its older one and forgetting removes a pair
    // only if the variant still matches. Slots are counted as the implementation counts them: one per add.
    const call = fc.record({
      forget: fc.boolean(),
      experiment: fc.constantFrom('a', 'b', 'c'),
      unit: fc.constantFrom('u1', 'u2', 'u3', 'u4'),
      variant: fc.constantFrom('x', 'y'),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(call, { maxLength: 60 }), (maxKeys, calls) => {
        const recent = createRecentExposures(maxKeys);
        const slots: { k: string; variant: string }[] = [];
        const remembered = new Map<string, string>();
        for (const { forget, experiment, unit, variant } of calls) {
          const k = `${experiment}\u0000${unit}`;
          const exposure = { experiment, unit, variant };
          if (forget) {
            recent.forget(exposure);
            if (remembered.get(k) === variant) remembered.delete(k);
            continue;
          }
          const added = remembered.get(k) !== variant;
          expect(recent.add(exposure)).toBe(added);
          if (!added) continue;
          remembered.set(k, variant);
          slots.push({ k, variant });
          if (slots.length > maxKeys) {
            const old = slots.shift()!;
            if (remembered.get(old.k) === old.variant) remembered.delete(old.k);
          }
        }
      }),
      { seed: 20261121, numRuns: 2000 },
    );
  });

  it('rejects a maxKeys that is not a whole number >= 1', () => {
    for (const maxKeys of [0, -1, 1.5, Number.NaN]) {
      expect(() => withDedupe(createMemorySink(), { maxKeys })).toThrow(ExperimentConfigError);
      expect(() => withDedupe(createMemorySink(), { maxKeys })).toThrow(`maxKeys must be a whole number >= 1, got ${maxKeys}`);
    }
  });

  it('returns what the inner write returns, so rejections reach the caller', async () => {
    const failure = new Error('collector down');
    const sink = withDedupe({ write: () => Promise.reject(failure) });
    await expect(sink.write(event('user-1'))).rejects.toBe(failure);
  });

  it('passes a write that returns no promise (a number, as Array.prototype.push does) through without turning it into an error', () => {
    const events: unknown[] = [];
    const sink = withDedupe({ write: (written) => events.push(written) as never });
    expect(() => sink.write(event('user-1'))).not.toThrow();
    sink.write(event('user-1'));
    expect(events).toHaveLength(1);
  });

  it('forgets an event whose write threw or rejected, so the next exposure tries again', async () => {
    let fail = true;
    const attempts: string[] = [];
    const flaky: ExposureSink = {
      write(e) {
        attempts.push(e.unit);
        if (fail) throw new Error('sink down');
      },
    };
    const sink = withDedupe(flaky);
    expect(() => sink.write(event('user-1'))).toThrow('sink down');
    fail = false;
    sink.write(event('user-1'));
    sink.write(event('user-1'));
    expect(attempts).toEqual(['user-1', 'user-1']);

    const rejects = vi.fn((_e: ExposureEvent) => Promise.reject(new Error('rejected')));
    const rejecting = withDedupe({ write: rejects });
    await expect(rejecting.write(event('user-2'))).rejects.toThrow('rejected');
    await expect(rejecting.write(event('user-2'))).rejects.toThrow('rejected');
    expect(rejects).toHaveBeenCalledTimes(2);
  });

  it('passes flush and close through to the inner sink', async () => {
    const flush = vi.fn(async () => {});
    const close = vi.fn(async () => {});
    const sink = withDedupe({ write: () => {}, flush, close });
    await sink.flush!();
    expect(flush).toHaveBeenCalledTimes(1);
    expect(close).not.toHaveBeenCalled();
    await sink.close!();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('resolves flush and close when the inner sink has neither', async () => {
    const sink = withDedupe({ write: () => {} });
    await expect(sink.flush!()).resolves.toBeUndefined();
    await expect(sink.close!()).resolves.toBeUndefined();
  });
});

describe('rememberedOf', () => {
  const shown = { experiment: 'skill_order', unit: 'user-1', variant: 'interleaved' };
  const list = (query: string, items: string[], teams: InterleavingRecord['teams']): InterleavingRecord => ({ query, method: 'team-draft', items, teams });

  it('is the exposure itself when no list was shown', () => {
    expect(rememberedOf(shown, undefined)).toBe(shown);
  });

  it('keys a list by its query, ids and teams, in a key whose size does not grow with the list', () => {
    const key = (record: InterleavingRecord): string => rememberedOf(shown, record).experiment;
    const ids = Array.from({ length: 10_000 }, (_, i) => `skill-${i}`);
    const long = key(list('home', ids, ids.map(() => 'A')));
    // The experiment, a NUL and two 32-bit hashes: at most 12 + 1 + 10 + 1 + 10 characters.
    expect(long.startsWith('skill_order\u0000')).toBe(true);
    expect(long.length).toBeLessThanOrEqual(34);
    expect(key(list('home', ['s1', 's2'], ['A', 'B']))).toBe(key(list('home', ['s1', 's2'], ['A', 'B'])));
    const lists = [
      list('home', ['s1', 's2'], ['A', 'B']),
      list('home', ['s1', 's2'], ['B', 'A']),
      list('home', ['s2', 's1'], ['A', 'B']),
      list('home', ['s1', 's2'], ['A', null]),
      list('search', ['s1', 's2'], ['A', 'B']),
    ];
    expect(new Set(lists.map(key)).size).toBe(lists.length);
    expect(rememberedOf(shown, lists[0])).toMatchObject({ unit: 'user-1', variant: 'interleaved' });
  });
});
