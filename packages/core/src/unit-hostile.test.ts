import { describe, expect, it } from 'vitest';
import { assignVariant } from './assign.js';
import { createBucketry, type BucketryErrorContext } from './client.js';
import { defineExperiment } from './experiment.js';
import { createMemorySink } from './sinks/memory-sink.js';
import { unitKey, type Unit } from './unit.js';

// assignVariant never throws for a defined experiment, whatever the unit (#21): a compound unit
// whose getter or Proxy trap throws gives reason 'error' with what it threw (it escaped before).
// (A BigInt or symbol field is neither a string nor a finite number: a missing unit, as before;
// config-fuzz.test.ts tries those among every other unit.)

const config = { key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 50 } as const;
const experiment = defineExperiment(config);
const boom = new Error('boom');
const throwing = (): never => {
  throw boom;
};
const revoked = (() => {
  const { proxy, revoke } = Proxy.revocable({ userId: '1' }, {});
  revoke();
  return proxy;
})();

const unreadable: [string, unknown, unknown][] = [
  ['a getter that throws', { tenantId: 'acme', get userId() { return throwing(); } }, boom],
  ['a Proxy whose ownKeys trap throws', new Proxy({ userId: '1' }, { ownKeys: throwing }), boom],
  ['a Proxy whose get trap throws', new Proxy({ userId: '1' }, { get: throwing }), boom],
  ['a Proxy whose getOwnPropertyDescriptor trap throws', new Proxy({ userId: '1' }, { getOwnPropertyDescriptor: throwing }), boom],
  ['a Symbol.toStringTag getter that throws', { userId: '1', get [Symbol.toStringTag]() { return throwing(); } }, boom],
  ['a revoked Proxy', revoked, expect.any(TypeError)],
];

describe('a compound unit that cannot be read', () => {
  it.each(unreadable)('%s: control, reason error, with what was thrown', (_what, unit, thrown) => {
    const assignment = assignVariant(experiment, unit as Unit);
    expect(assignment).toEqual({
      experiment: 'skill_tree_layout',
      variant: 'tree',
      inExperiment: false,
      reason: 'error',
      bucket: -1,
      unit: '',
      error: thrown,
    });
    expect(unitKey(unit as Unit)).toBeUndefined();
  });

  it('is reported to the client’s onError as an assignment error, and never exposed', () => {
    const sink = createMemorySink();
    const reports: [unknown, BucketryErrorContext][] = [];
    const bucketry = createBucketry({ experiments: [config], sink, onError: (error, context) => reports.push([error, context]) });
    for (const [, unit] of unreadable) expect(bucketry.assign('skill_tree_layout', unit as Unit).reason).toBe('error');
    expect(sink.events).toEqual([]);
    expect(reports).toHaveLength(unreadable.length);
    expect(reports[0]).toEqual([boom, { source: 'assignment', experiment: 'skill_tree_layout' }]);
  });
});

describe('a per-call override that cannot even be described', () => {
  it('gives control with reason error, as any override naming no variant does (describing it threw before)', () => {
    const override = new Proxy([], { get: throwing }) as unknown as 'list';
    for (const given of [override, revoked as unknown as 'list']) {
      const assignment = assignVariant(experiment, 'user-1', undefined, { override: given });
      expect(assignment).toMatchObject({ variant: 'tree', inExperiment: false, reason: 'error' });
      expect((assignment.error as Error).message).toBe('override must be one of the variants, got a value that cannot be read');
    }
  });
});
