import { describe, expect, it, vi } from 'vitest';
import { assignVariant } from './assign.js';
import { createBucketry } from './client.js';
import { defineExperiment } from './experiment.js';
import type { ExposureSink } from './exposure.js';

// createBucketry({ dedupe: false }) with a sink that fails: nothing is remembered, so a failed
// write has nothing to forget; every assign still returns and every failure reaches onError.
const config = { key: 'checkout', variants: ['tree', 'list'], rollout: 100 } as const;
const UNITS = ['user-1', 'user-2', 'user-1', 'user-1'];

function clientWith(sink: ExposureSink) {
  const onError = vi.fn();
  const bucketry = createBucketry({ experiments: [config], sink, dedupe: false, onError, now: () => 0 });
  return { bucketry, onError };
}

describe('createBucketry({ dedupe: false }) with a failing sink', () => {
  it('a sink that throws: every assign returns, every failure is reported, nothing is thrown', () => {
    const failures: Error[] = [];
    const write = vi.fn(() => {
      const failure = new Error(`sink down #${failures.length + 1}`);
      failures.push(failure);
      throw failure;
    });
    const { bucketry, onError } = clientWith({ write });
    for (const unit of UNITS) {
      expect(bucketry.assign('checkout', unit)).toEqual(assignVariant(defineExperiment(config), unit));
    }
    expect(write).toHaveBeenCalledTimes(UNITS.length);
    expect(onError.mock.calls.map(([error]) => error)).toEqual(failures);
    UNITS.forEach((unit, i) => {
      expect(onError.mock.calls[i]![1]).toMatchObject({ source: 'sink', experiment: 'checkout', event: { unit, variant: 'list' } });
    });
  });

  it('a sink that rejects: every assign returns, every rejection is reported', async () => {
    const write = vi.fn((event: { unit: string }) => Promise.reject(new Error(`rejected ${event.unit}`)));
    const { bucketry, onError } = clientWith({ write });
    for (const unit of UNITS) {
      expect(bucketry.assign('checkout', unit)).toEqual(assignVariant(defineExperiment(config), unit));
    }
    expect(write).toHaveBeenCalledTimes(UNITS.length);
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(UNITS.length));
    expect(onError.mock.calls.map(([error, context]) => [(error as Error).message, context.source, context.experiment])).toEqual(
      UNITS.map((unit) => [`rejected ${unit}`, 'sink', 'checkout']),
    );
  });
});

// A sink's write may return anything: a plain JS sink such as `(event) => events.push(event)`
// returns a number. Only a thenable is waited on; any other value is a successful write.
describe('what a sink write returns', () => {
  it.each([
    ['a number (Array.prototype.push)', 1],
    ['true', true],
    ['an object without then', { ok: true }],
    ['an object whose then is not a function', { then: 'later' }],
  ])('%s: written once, no error reported', (_name, result) => {
    const onError = vi.fn();
    const write = vi.fn(() => result as never);
    const bucketry = createBucketry({ experiments: [config], sink: { write }, onError });
    expect(bucketry.assign('checkout', 'user-1').variant).toBe('list');
    bucketry.assign('checkout', 'user-1'); // remembered: not written again
    expect(write).toHaveBeenCalledTimes(1);
    expect(onError).not.toHaveBeenCalled();
  });
});
