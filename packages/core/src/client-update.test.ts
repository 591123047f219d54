import { describe, expect, it } from 'vitest';
import { createBucketry, type BucketryErrorContext } from './client.js';
import type { BucketryStatus } from './config-status.js';
import { ExperimentConfigError } from './errors.js';
import type { ExperimentJSON } from './experiment-json.js';
import { createMemorySink } from './sinks/memory-sink.js';
import { createMemoryStickyStore } from './sticky.js';

const at = (rollout: number, extra: Partial<ExperimentJSON> = {}): ExperimentJSON => ({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout, ...extra });
const users = Array.from({ length: 2000 }, (_, i) => `user-${i}`);

function live(rollout: number) {
  let clock = 1_000;
  const errors: [unknown, BucketryErrorContext][] = [];
  const sink = createMemorySink();
  const bucketry = createBucketry({ experiments: [at(rollout)], sink, dedupe: false, now: () => clock, onError: (e, c) => errors.push([e, c]) });
  return { bucketry, sink, errors, tick: (ms: number) => (clock += ms) };
}

describe('a client whose experiments change while it runs', () => {
  it('assigns from the new set at once, and the exposures carry the new config version', () => {
    const { bucketry, sink } = live(10);
    const before = bucketry.experiment('skill_tree_layout').version;
    bucketry.update([at(50)]);
    expect(bucketry.experiment('skill_tree_layout').rollout).toBe(50);
    bucketry.assign('skill_tree_layout', 'user-1');
    expect(sink.events.at(-1)!.configVersion).toBe(bucketry.experiment('skill_tree_layout').version);
    expect(sink.events.at(-1)!.configVersion).not.toBe(before);
  });

  it('ramping 10 → 50 → 100 never moves a treated unit back or to another treatment; 0 sends everyone to control', () => {
    const { bucketry } = live(10);
    const variants = (): string[] => users.map((u) => bucketry.peek('skill_tree_layout', u).variant);
    let previous = variants();
    for (const rollout of [50, 100]) {
      bucketry.update([at(rollout)]);
      const now = variants();
      now.forEach((variant, i) => previous[i] === 'list' && expect(variant).toBe('list'));
      previous = now;
    }
    expect(previous.every((v) => v === 'list')).toBe(true);
    bucketry.update([at(0)]);
    expect(variants().every((v) => v === 'tree')).toBe(true);
  });

  it('the kill switch beats every sticky record after a live change', () => {
    const sticky = createMemoryStickyStore(users.map((unit) => ({ unit, experiment: 'skill_tree_layout', variant: 'list' })));
    const bucketry = createBucketry({ experiments: [at(100)], sticky });
    expect(bucketry.peek('skill_tree_layout', 'user-1').reason).toBe('sticky');
    bucketry.update([at(100, { enabled: false })]);
    expect(bucketry.peek('skill_tree_layout', 'user-1')).toMatchObject({ variant: 'tree', reason: 'disabled' });
  });

  it('refuses an invalid set whole, naming the field, the value and the rule; the last good set stays and the status says why', () => {
    const { bucketry } = live(10);
    const good = bucketry.status();
    expect(() => bucketry.update([at(50), { key: 'other', variants: ['a', 'b'], weights: [1, -5] }], 'postgres')).toThrow(
      new ExperimentConfigError('experiments[1].weights[1]', -5, 'must be >= 0'),
    );
    expect(bucketry.experiment('skill_tree_layout').rollout).toBe(10);
    expect(bucketry.status()).toMatchObject({ version: good.version, stale: true, staleReason: 'postgres sent an invalid set of experiments; the last good one stays in force' });
    expect(bucketry.status().lastError).toBeInstanceOf(ExperimentConfigError);
  });

  it('refuses a set that drops an experiment in force (stop one with enabled: false)', () => {
    const { bucketry } = live(10);
    expect(() => bucketry.update([{ key: 'other', variants: ['a', 'b'] }])).toThrow('experiments must keep every experiment in force; set enabled: false to stop one, got "skill_tree_layout"');
    expect(bucketry.experiments.map((e) => e.key)).toEqual(['skill_tree_layout']);
  });

  it('adds new experiments, which can be assigned at once', () => {
    const { bucketry } = live(10);
    bucketry.update([at(10), { key: 'search_box', variants: ['off', 'on'], rollout: 100 }]);
    expect(bucketry.peek('search_box' as never, 'user-1').variant).toBe('on');
    expect(bucketry.experiments.map((e) => e.key)).toEqual(['skill_tree_layout', 'search_box']);
  });

  it('reports status: the version changes with the content only, with when and where it was loaded', () => {
    const { bucketry, tick } = live(10);
    const first = bucketry.status();
    expect(first).toEqual({ ready: true, version: expect.stringMatching(/^[0-9a-f]{8}$/), loadedAt: 1_000, source: 'code', stale: false, staleReason: undefined, lastError: undefined });
    tick(500);
    expect(bucketry.update([at(10)], 'redis')).toBe(first.version);
    tick(500);
    const second = bucketry.update([at(25)], 'redis');
    expect(second).not.toBe(first.version);
    expect(bucketry.status()).toMatchObject({ version: second, loadedAt: 2_000, source: 'redis', stale: false });
  });

  it('gives the same version to the same set in another order', () => {
    const other: ExperimentJSON = { key: 'search_box', variants: ['off', 'on'] };
    const one = createBucketry({ experiments: [at(10), other] }).status().version;
    expect(createBucketry({ experiments: [other, at(10)] }).status().version).toBe(one);
  });

  it('a source error makes the status stale until the next good update, and keeps the last error', () => {
    const { bucketry } = live(10);
    const down = new Error('connection refused');
    bucketry.reportSourceError('postgres unreachable; serving the last good set', down);
    expect(bucketry.status()).toMatchObject({ stale: true, staleReason: 'postgres unreachable; serving the last good set', lastError: down });
    expect(bucketry.peek('skill_tree_layout', 'user-1').reason).toBe('bucketed');
    bucketry.update([at(20)], 'postgres');
    expect(bucketry.status()).toMatchObject({ stale: false, staleReason: undefined, lastError: down });
  });

  it('tells change listeners after each change of content, once; a throwing listener is reported and the others still hear', () => {
    const { bucketry, errors } = live(10);
    const heard: BucketryStatus[] = [];
    bucketry.onChange(() => {
      throw new Error('listener bug');
    });
    const stop = bucketry.onChange((status) => heard.push(status));
    bucketry.update([at(20)]);
    expect(heard.map((s) => s.version)).toEqual([bucketry.status().version]);
    bucketry.update([at(20)]);
    expect(heard.map((s) => s.version)).toEqual([bucketry.status().version]);
    expect(errors.map(([e, c]) => [(e as Error).message, c.source])).toEqual([['listener bug', 'config']]);
    stop();
    bucketry.update([at(30)]);
    expect(heard).toHaveLength(1);
  });
});

describe('update without a source', () => {
  it("records 'update' as where the set came from", () => {
    const bucketry = createBucketry({ experiments: [at(10)] });
    expect(bucketry.status().source).toBe('code');
    bucketry.update([at(20)]);
    expect(bucketry.status().source).toBe('update');
  });

  it("names 'update' in the stale reason of a refused set", () => {
    const bucketry = createBucketry({ experiments: [at(10)], onError: () => {} });
    expect(() => bucketry.update([{ key: 'skill_tree_layout', variants: ['tree'] } as never])).toThrow();
    expect(bucketry.status().staleReason).toMatch(/^update sent an invalid set of experiments/);
  });
});

describe("a set's version and onChange", () => {
  it('the version is 8 hex digits, zero-padded when the hash is small', () => {
    const versions = Array.from({ length: 101 }, (_, rollout) => createBucketry({ experiments: [at(rollout)] }).status().version);
    for (const version of versions) expect(version).toMatch(/^[0-9a-f]{8}$/);
    // The padding is exercised: some of these hashes are below 0x10000000.
    expect(versions.some((version) => version.startsWith('0'))).toBe(true);
  });

  it('onChange is told of an update that changes the set, at once, and not of one that keeps it', () => {
    const bucketry = createBucketry({ experiments: [at(10)] });
    const heard: BucketryStatus[] = [];
    bucketry.onChange((status) => heard.push(status));
    const changed = bucketry.update([at(20)]);
    expect(heard.map((status) => status.version)).toEqual([changed]);
    bucketry.update([at(20)]);
    expect(heard).toHaveLength(1);
  });
});
