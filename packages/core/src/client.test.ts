import { describe, expect, it, vi } from 'vitest';
import { assignVariant } from './assign.js';
import { createBucketry, type BucketryErrorContext } from './client.js';
import { ExperimentConfigError } from './errors.js';
import { defineExperiment } from './experiment.js';
import type { ExperimentJSON } from './experiment-json.js';
import { EXPOSURE_EVENT, type ExposureEvent, type ExposureSink } from './exposure.js';
import { createBatchingSink } from './sinks/batching-sink.js';
import { createMemorySink } from './sinks/memory-sink.js';
import { createMemoryStickyStore } from './sticky.js';

// rollout 100: every unit that gets into the experiment gets `list`, so outcomes do not hang on hashes.
const base = { variants: ['tree', 'list'], rollout: 100 } as const;
const configs = {
  bucketed: { key: 'bucketed', ...base },
  override: { key: 'override', ...base, overrides: { 'qa-1': 'tree' } },
  ineligible: { key: 'ineligible', ...base, eligibility: { region: { in: ['eu'] } } },
  traffic: { key: 'traffic', ...base, traffic: 0 },
  holdout: { key: 'holdout', ...base, holdout: { key: 'global', percent: 100 } },
  disabled: { key: 'disabled', ...base, enabled: false },
} satisfies Record<string, ExperimentJSON>;
const allConfigs: ExperimentJSON[] = Object.values(configs);

const FIXED_NOW = Date.UTC(2026, 0, 2, 3, 4, 5, 6);

function client(options: { sink?: ExposureSink; dedupe?: number | false; onError?: (error: unknown, context: BucketryErrorContext) => void } = {}) {
  const sink = createMemorySink();
  const bucketry = createBucketry({ experiments: allConfigs, sink: options.sink ?? sink, now: () => FIXED_NOW, ...options });
  return { bucketry, sink };
}

describe('createBucketry exposures', () => {
  it('exposes units in the experiment, and none that are overridden, ineligible, out of traffic, held out, disabled or missing', () => {
    const { bucketry, sink } = client();
    const outcomes = [
      bucketry.assign('bucketed', 'user-1'),
      bucketry.assign('override', 'qa-1'),
      bucketry.assign('ineligible', 'user-1', { region: 'us' }),
      bucketry.assign('traffic', 'user-1'),
      bucketry.assign('holdout', 'user-1'),
      bucketry.assign('disabled', 'user-1'),
      bucketry.assign('bucketed', ''),
      bucketry.assign('bucketed', null),
    ].map((a) => [a.experiment, a.reason, a.variant, a.inExperiment]);
    // The set-up really produces each reason, so the exposure check below means something.
    expect(outcomes).toEqual([
      ['bucketed', 'bucketed', 'list', true],
      ['override', 'override', 'tree', false],
      ['ineligible', 'ineligible', 'tree', false],
      ['traffic', 'traffic', 'tree', false],
      ['holdout', 'holdout', 'tree', false],
      ['disabled', 'disabled', 'tree', false],
      ['bucketed', 'missing_unit', 'tree', false],
      ['bucketed', 'missing_unit', 'tree', false],
    ]);
    expect(sink.events.map((e) => [e.experiment, e.unit])).toEqual([['bucketed', 'user-1']]);
  });

  it('writes the full event: name, variant, unit, reason, bucket, timestamp from now, configVersion, eventId', () => {
    const { bucketry, sink } = client();
    const assignment = bucketry.assign('bucketed', { tenantId: 'acme', userId: 42 });
    expect(sink.events).toEqual<ExposureEvent[]>([
      {
        event: EXPOSURE_EVENT,
        experiment: 'bucketed',
        variant: 'list',
        unit: '{"tenantId":"acme","userId":"42"}',
        reason: 'bucketed',
        bucket: assignment.bucket,
        timestamp: '2026-01-02T03:04:05.006Z',
        configVersion: bucketry.experiment('bucketed').version,
        eventId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      },
    ]);
    expect(assignment.bucket).toBeGreaterThanOrEqual(0);
  });

  it('exposes sticky units too, with bucket -1', () => {
    const sink = createMemorySink();
    const sticky = createMemoryStickyStore([{ unit: 'user-1', experiment: 'bucketed', variant: 'tree' }]);
    const bucketry = createBucketry({ experiments: [configs.bucketed], sink, sticky });
    expect(bucketry.assign('bucketed', 'user-1')).toMatchObject({ variant: 'tree', reason: 'sticky', inExperiment: true });
    expect(sink.events).toMatchObject([{ unit: 'user-1', variant: 'tree', reason: 'sticky', bucket: -1 }]);
  });

  it('stamps each event with the injected clock at the time of exposure', () => {
    let clock = Date.UTC(2026, 4, 1);
    const sink = createMemorySink();
    const bucketry = createBucketry({ experiments: [configs.bucketed], sink, now: () => clock });
    bucketry.assign('bucketed', 'user-1');
    clock += 61_000;
    bucketry.assign('bucketed', 'user-2');
    expect(sink.events.map((e) => e.timestamp)).toEqual(['2026-05-01T00:00:00.000Z', '2026-05-01T00:01:01.000Z']);
  });

  it('carries the experiment version as configVersion, given or derived', () => {
    const sink = createMemorySink();
    const bucketry = createBucketry({
      experiments: [{ ...configs.bucketed, version: 'ramp-2' }, configs.override],
      sink,
    });
    bucketry.assign('bucketed', 'user-1');
    bucketry.assign('override', 'user-1');
    const derived = bucketry.experiment('override').version;
    expect(derived).toMatch(/^[0-9a-f]{8}$/);
    expect(sink.events.map((e) => e.configVersion)).toEqual(['ramp-2', derived]);
  });

  it('dedupes by default: a unit is exposed once per variant', () => {
    const { bucketry, sink } = client();
    bucketry.assign('bucketed', 'user-1');
    bucketry.assign('bucketed', 'user-1');
    bucketry.assign('bucketed', 'user-2');
    bucketry.assign('bucketed', 'user-1');
    expect(sink.events.map((e) => e.unit)).toEqual(['user-1', 'user-2']);
  });

  it('never exposes an override, of the config or of the call, through assign or expose', () => {
    const { bucketry, sink } = client({ dedupe: false });
    bucketry.assign('override', 'qa-1');
    bucketry.expose(bucketry.peek('override', 'qa-1'));
    bucketry.assign('bucketed', 'user-7', undefined, { override: 'tree' });
    bucketry.expose(bucketry.peek('bucketed', 'user-7', undefined, { override: 'list' }));
    expect(sink.events).toEqual([]);
  });

  it('writes every exposure with dedupe: false, and honours a dedupe size', () => {
    const every = client({ dedupe: false });
    every.bucketry.assign('bucketed', 'user-1');
    every.bucketry.assign('bucketed', 'user-1');
    expect(every.sink.events).toHaveLength(2);

    const small = client({ dedupe: 1 });
    for (const unit of ['user-1', 'user-2', 'user-1']) small.bucketry.assign('bucketed', unit);
    expect(small.sink.events.map((e) => e.unit)).toEqual(['user-1', 'user-2', 'user-1']);
  });

  it('peek does not expose; expose writes the peeked assignment once it is shown', () => {
    const { bucketry, sink } = client();
    const peeked = bucketry.peek('bucketed', 'user-1');
    expect(peeked).toEqual(assignVariant(bucketry.experiment('bucketed'), 'user-1'));
    expect(sink.events).toHaveLength(0);
    bucketry.expose(peeked);
    expect(sink.events).toMatchObject([{ experiment: 'bucketed', unit: 'user-1', variant: 'list' }]);
  });

  it('expose ignores assignments outside the experiment and those of unknown experiments', () => {
    const { bucketry, sink } = client();
    bucketry.expose(bucketry.peek('disabled', 'user-1'));
    const foreign = assignVariant(defineExperiment({ key: 'elsewhere', ...base }), 'user-1');
    expect(foreign.inExperiment).toBe(true);
    bucketry.expose(foreign);
    expect(sink.events).toHaveLength(0);
  });

  it('emits nothing, and still assigns, without a sink', async () => {
    const bucketry = createBucketry({ experiments: [configs.bucketed] });
    expect(bucketry.assign('bucketed', 'user-1').variant).toBe('list');
    await expect(bucketry.flush()).resolves.toBeUndefined();
    await expect(bucketry.close()).resolves.toBeUndefined();
  });
});

describe('createBucketry with a failing sink', () => {
  const expected = (unit: string) => assignVariant(defineExperiment(configs.bucketed), unit);

  it('a sink that throws: assign returns the assignment and the error goes to onError with source "sink"', () => {
    const failure = new Error('sink exploded');
    const onError = vi.fn();
    const { bucketry } = client({
      sink: {
        write: () => {
          throw failure;
        },
      },
      onError,
    });
    expect(bucketry.assign('bucketed', 'user-1')).toEqual(expected('user-1'));
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(failure, {
      source: 'sink',
      experiment: 'bucketed',
      event: expect.objectContaining({ experiment: 'bucketed', unit: 'user-1', variant: 'list' }),
    });
  });

  it('a sink that rejects: assign returns the assignment and the rejection goes to onError', async () => {
    const failure = new Error('sink rejected');
    const onError = vi.fn();
    const { bucketry } = client({ sink: { write: () => Promise.reject(failure) }, onError });
    expect(bucketry.assign('bucketed', 'user-1')).toEqual(expected('user-1'));
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(1));
    expect(onError).toHaveBeenCalledWith(failure, expect.objectContaining({ source: 'sink', experiment: 'bucketed' }));
  });

  it('a sink that never settles: assign returns synchronously with the assignment', () => {
    const write = vi.fn(() => new Promise<void>(() => {}));
    const onError = vi.fn();
    const { bucketry } = client({ sink: { write }, onError });
    const assignment = bucketry.assign('bucketed', 'user-1');
    // A plain object, not a promise: nothing waited on the sink.
    expect(assignment).not.toBeInstanceOf(Promise);
    expect(assignment).toEqual(expected('user-1'));
    expect(write).toHaveBeenCalledTimes(1);
    expect(onError).not.toHaveBeenCalled();
  });

  it('an onError that throws does not break assign, for thrown and rejected sink errors alike', async () => {
    const onError = vi.fn(() => {
      throw new Error('handler bug');
    });
    const throwing = client({
      sink: {
        write: () => {
          throw new Error('sink exploded');
        },
      },
      onError,
    });
    expect(throwing.bucketry.assign('bucketed', 'user-1')).toEqual(expected('user-1'));

    const rejecting = client({ sink: { write: () => Promise.reject(new Error('sink rejected')) }, onError });
    expect(rejecting.bucketry.assign('bucketed', 'user-2')).toEqual(expected('user-2'));
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(2));
  });

  it('exposes a unit again after its write failed', () => {
    let fail = true;
    const units: string[] = [];
    const { bucketry } = client({
      sink: {
        write: (e) => {
          units.push(e.unit);
          if (fail) throw new Error('sink down');
        },
      },
    });
    bucketry.assign('bucketed', 'user-1');
    fail = false;
    bucketry.assign('bucketed', 'user-1');
    bucketry.assign('bucketed', 'user-1');
    expect(units).toEqual(['user-1', 'user-1']);
  });

  it('with a batching sink whose endpoint hangs, assign stays synchronous and close still finishes', async () => {
    vi.useFakeTimers();
    try {
      const deliver = vi.fn(() => new Promise<void>(() => {}));
      const sink = createBatchingSink({ deliver, timeoutMs: 1_000, retry: { attempts: 1 } });
      const bucketry = createBucketry({ experiments: [configs.bucketed], sink });
      expect(bucketry.assign('bucketed', 'user-1')).toEqual(expected('user-1'));
      let closed = false;
      void bucketry.close().then(() => (closed = true));
      await vi.advanceTimersByTimeAsync(1_000);
      expect(closed).toBe(true);
      expect(deliver).toHaveBeenCalledTimes(1);
      expect(sink.stats()).toMatchObject({ delivered: 0, dropped: 1, failedAttempts: 1 });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('createBucketry assignment errors', () => {
  it('an eligibility predicate that throws gives control with reason "error", reported with source "assignment"', () => {
    const boom = new Error('predicate bug');
    const onError = vi.fn();
    const sink = createMemorySink();
    const bucketry = createBucketry({
      experiments: [
        {
          key: 'predicate',
          ...base,
          eligibility: () => {
            throw boom;
          },
        },
      ],
      sink,
      onError,
    });
    const assignment = bucketry.assign('predicate', 'user-1');
    expect(assignment).toMatchObject({ variant: 'tree', reason: 'error', inExperiment: false, error: boom });
    expect(onError).toHaveBeenCalledWith(boom, { source: 'assignment', experiment: 'predicate' });
    expect(sink.events).toHaveLength(0);
  });

  it('an onError that throws does not break an assignment whose predicate threw', () => {
    const bucketry = createBucketry({
      experiments: [
        {
          key: 'predicate',
          ...base,
          eligibility: () => {
            throw new Error('predicate bug');
          },
        },
      ],
      onError: () => {
        throw new Error('handler bug');
      },
    });
    expect(bucketry.assign('predicate', 'user-1')).toMatchObject({ variant: 'tree', reason: 'error' });
  });

  it('an unknown key throws ExperimentConfigError naming the key and the known ones', () => {
    const { bucketry } = client();
    const call = () => bucketry.assign('skill_tree' as never, 'user-1');
    expect(call).toThrow(ExperimentConfigError);
    expect(call).toThrow(/^key must name a known experiment \(bucketed, override, .*disabled\), got "skill_tree"$/);
    try {
      call();
    } catch (error) {
      expect(error).toMatchObject({ field: 'key', value: 'skill_tree' });
    }
    expect(() => bucketry.peek('skill_tree' as never, 'user-1')).toThrow(ExperimentConfigError);
    expect(() => bucketry.experiment('skill_tree' as never)).toThrow(ExperimentConfigError);
  });
});

describe('createBucketry configuration', () => {
  it('validates configs with the field path of the bad one, e.g. experiments[1].weights[0]', () => {
    const call = () =>
      createBucketry({
        experiments: [configs.bucketed, { key: 'weighted', variants: ['tree', 'list'], weights: [-5, 1] }],
      });
    expect(call).toThrow(ExperimentConfigError);
    expect(call).toThrow('experiments[1].weights[0] must be >= 0, got -5');
    try {
      call();
    } catch (error) {
      expect(error).toMatchObject({ field: 'experiments[1].weights[0]', value: -5, rule: 'must be >= 0' });
    }
  });

  it('rejects experiments that are not an array', () => {
    expect(() => createBucketry({ experiments: undefined as never })).toThrow(
      'experiments must be an array of experiments or experiment configs, got undefined',
    );
  });

  it('accepts experiments already defined, alongside configs, in the order given', () => {
    const defined = defineExperiment({ key: 'defined', ...base });
    const bucketry = createBucketry({ experiments: [defined, configs.override] });
    expect(bucketry.experiments.map((e) => e.key)).toEqual(['defined', 'override']);
    expect(bucketry.experiment('defined')).toBe(defined);
  });

  it('rejects duplicate keys', () => {
    expect(() => createBucketry({ experiments: [configs.bucketed, { ...configs.bucketed, rollout: 50 }] })).toThrow(
      /^experiments\[1\]: key must be unique; experiments\[0\] has it too, got "bucketed"$/,
    );
  });

  it('rejects overlapping slices of one layer, naming both experiments', () => {
    const call = () =>
      createBucketry({
        experiments: [
          { key: 'hero_copy', ...base, layer: { name: 'home', range: [0, 60] } },
          { key: 'hero_image', ...base, layer: { name: 'home', range: [50, 100] } },
        ],
      });
    expect(call).toThrow(ExperimentConfigError);
    expect(call).toThrow(/hero_image: layer\.range must not overlap "hero_copy" \[0, 60\) in layer "home"/);
  });

  it('accepts disjoint slices of one layer', () => {
    expect(() =>
      createBucketry({
        experiments: [
          { key: 'hero_copy', ...base, layer: { name: 'home', range: [0, 50] } },
          { key: 'hero_image', ...base, layer: { name: 'home', range: [50, 100] } },
        ],
      }),
    ).not.toThrow();
  });
});

describe('createBucketry flush and close', () => {
  for (const dedupe of [undefined, false] as const) {
    it(`delegate to the sink (dedupe ${String(dedupe)})`, async () => {
      const order: string[] = [];
      const sink: ExposureSink = {
        write: () => {},
        flush: vi.fn(async () => void order.push('flush')),
        close: vi.fn(async () => void order.push('close')),
      };
      const bucketry = createBucketry({ experiments: [configs.bucketed], sink, ...(dedupe === false ? { dedupe } : {}) });
      await bucketry.flush();
      expect(order).toEqual(['flush']);
      await bucketry.close();
      expect(order).toEqual(['flush', 'close']);
    });
  }

  it('resolve when the sink has no flush or close', async () => {
    const bucketry = createBucketry({ experiments: [configs.bucketed], sink: { write: () => {} } });
    await expect(bucketry.flush()).resolves.toBeUndefined();
    await expect(bucketry.close()).resolves.toBeUndefined();
  });
});
