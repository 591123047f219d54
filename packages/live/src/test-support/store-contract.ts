import { describe, expect, it } from 'vitest';
import { setRollout } from '../set-rollout.js';
import { RolloutConflictError, type RolloutStore } from '../store.js';

/**
 * What every store promises, run against the real backend: records and history round-trip, a
 * stale expected version is refused with both versions named and nothing written, concurrent
 * writers with the same expected version: exactly one wins, the kill switch is never refused.
 */
export function describeStoreContract(kind: string, open: () => RolloutStore): void {
  describe(`${kind} store: the contract every store keeps`, () => {
    it('writes a record, bumps its version on every change and keeps who, when, from → to, phase and reason', async () => {
      const store = open();
      try {
        const first = await setRollout(store, 'skill_tree_layout', { percent: 10, actor: 'ana', phase: 'smoke', reason: 'runbook step 1', expectedVersion: 0 });
        expect(first.previous).toBeNull();
        expect(first.record).toMatchObject({ rollout: 10, enabled: true, version: 1, actor: 'ana', phase: 'smoke', reason: 'runbook step 1' });
        const second = await setRollout(store, 'skill_tree_layout', { fraction: '0.5', actor: 'bo', phase: 'ramp-50', expectedVersion: 1 });
        expect(second.record).toMatchObject({ rollout: 50, version: 2, reason: null });
        await setRollout(store, 'pilot', { percent: 0.5, actor: 'cy' });

        const { rollouts } = await store.read();
        expect(Object.keys(rollouts).sort()).toEqual(['pilot', 'skill_tree_layout']);
        expect(rollouts.skill_tree_layout).toEqual(second.record);
        expect(rollouts.pilot).toMatchObject({ rollout: 0.5, version: 1 });

        const history = await store.history('skill_tree_layout');
        expect(history.map(({ at: _at, ...rest }) => rest)).toEqual([
          { experiment: 'skill_tree_layout', version: 1, actor: 'ana', from: null, to: { rollout: 10, enabled: true }, phase: 'smoke', reason: 'runbook step 1' },
          { experiment: 'skill_tree_layout', version: 2, actor: 'bo', from: { rollout: 10, enabled: true }, to: { rollout: 50, enabled: true }, phase: 'ramp-50', reason: null },
        ]);
        expect(Date.parse(history[1]!.at)).toBeGreaterThanOrEqual(Date.parse(history[0]!.at));
      } finally {
        await store.close();
      }
    });

    it('refuses a stale expected version naming both versions, and writes nothing', async () => {
      const store = open();
      try {
        await setRollout(store, 'cas', { percent: 10, actor: 'ana', expectedVersion: 0 });
        await setRollout(store, 'cas', { percent: 25, actor: 'bo', reason: 'bo was first', expectedVersion: 1 });
        const lost = setRollout(store, 'cas', { percent: 50, actor: 'cy', expectedVersion: 1 });
        await expect(lost).rejects.toThrow(RolloutConflictError);
        await expect(setRollout(store, 'cas', { percent: 50, actor: 'cy', expectedVersion: 1 })).rejects.toThrow(
          /^cas: expected version 1 but found version 2 \(25%, set by bo at .*: bo was first\)/,
        );
        expect((await store.read()).rollouts.cas).toMatchObject({ rollout: 25, version: 2, actor: 'bo' });
        expect(await store.history('cas')).toHaveLength(2);
      } finally {
        await store.close();
      }
    });

    it('lets exactly one of several concurrent writers with the same expected version win; the others are told', async () => {
      const stores = Array.from({ length: 6 }, open); // as six processes would
      try {
        await setRollout(stores[0]!, 'race', { percent: 5, actor: 'ana', expectedVersion: 0 });
        await Promise.all(stores.map((store) => store.read())); // connected, so the writes overlap
        const results = await Promise.allSettled(stores.map((store, i) => setRollout(store, 'race', { percent: 20 + i, actor: `op${i}`, expectedVersion: 1 })));
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(lost).toHaveLength(5);
        for (const { reason } of lost) {
          expect(reason).toBeInstanceOf(RolloutConflictError);
          expect(reason).toMatchObject({ expectedVersion: 1, foundVersion: 2 });
        }
        expect((await stores[0]!.history('race')).map((c) => c.version)).toEqual([1, 2]);

        // First writers (expected version 0): also exactly one.
        const firsts = await Promise.allSettled(stores.map((store, i) => setRollout(store, 'race_new', { percent: 1 + i, actor: `op${i}`, expectedVersion: 0 })));
        expect(firsts.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of firsts.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) expect(r.reason).toMatchObject({ expectedVersion: 0, foundVersion: 1 });
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    });

    it('never refuses the kill switch, whatever version was expected, and records it', async () => {
      const store = open();
      try {
        await setRollout(store, 'kill', { percent: 50, actor: 'ana' });
        await setRollout(store, 'kill', { percent: 60, actor: 'ana' });
        const { record, previous } = await setRollout(store, 'kill', { percent: 0, actor: 'oncall', reason: 'errors up', expectedVersion: 1 });
        expect(previous).toMatchObject({ rollout: 60, version: 2 });
        expect(record).toMatchObject({ rollout: 0, version: 3, actor: 'oncall' });
        const stopped = await setRollout(store, 'kill', { percent: 10, enabled: false, actor: 'oncall', expectedVersion: 0 });
        expect(stopped.record).toMatchObject({ enabled: false, version: 4 });
        expect((await store.history('kill')).map((c) => [c.from?.rollout ?? null, c.to.rollout, c.to.enabled])).toEqual([
          [null, 50, true], [50, 60, true], [60, 0, true], [0, 10, false],
        ]);
      } finally {
        await store.close();
      }
    });
  });
}
