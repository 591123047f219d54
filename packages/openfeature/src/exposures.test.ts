import type { EvaluationDetails, FlagValue, HookContext } from '@openfeature/core';
import { describe, expect, it } from 'vitest';
import { createExposures } from './exposures.js';
import { targetingKeyUnit } from './resolve.js';
import { FLAGS, flagClient, unitWith } from './test-support/flags.js';

// The exposure hook alone, for what the SDK tests cannot reach: a hook context that is not the
// object the resolver got (an SDK that copies the context) must still expose, by deciding again.
const hookContext = (flagKey: string, context: object): HookContext =>
  ({ flagKey, flagValueType: 'boolean', defaultValue: false, context, clientMetadata: {}, providerMetadata: { name: 'bucketry' }, logger: console, hookData: new Map() }) as unknown as HookContext;
const details = (flagKey: string, value: FlagValue, variant: string | undefined, errorCode?: string): EvaluationDetails<FlagValue> =>
  ({ flagKey, value, variant, flagMetadata: {}, errorCode }) as EvaluationDetails<FlagValue>;

describe('the exposure hook', () => {
  it('exposes the remembered assignment once the SDK returned its variant', () => {
    const { bucketry, sink } = flagClient();
    const exposures = createExposures(bucketry, targetingKeyUnit);
    const on = unitWith(bucketry, 'new_checkout', 'bucketed', {}, 'on');
    const context = { targetingKey: on.unit };
    exposures.remember(context, 'new_checkout', on);
    // The kill switch between resolution and hook: deciding again would give `off`, but the caller got `on`.
    bucketry.update(FLAGS.map((flag) => (flag.key === 'new_checkout' ? { ...flag, enabled: false } : flag)));
    expect(bucketry.peek('new_checkout', on.unit).variant).toBe('off');
    exposures.hook.finally(hookContext('new_checkout', context), details('new_checkout', true, 'on'));
    expect(sink.events.map((e) => [e.unit, e.variant])).toEqual([[on.unit, 'on']]);
  });

  it('decides again for a context it did not see, and exposes only when the variant matches what was returned', () => {
    const { bucketry, sink } = flagClient();
    const exposures = createExposures(bucketry, targetingKeyUnit);
    const on = unitWith(bucketry, 'new_checkout', 'bucketed', {}, 'on');
    const off = unitWith(bucketry, 'new_checkout', 'bucketed', {}, 'off');
    exposures.hook.finally(hookContext('new_checkout', { targetingKey: off.unit }), details('new_checkout', true, 'on')); // not what it would get
    exposures.hook.finally(hookContext('new_checkout', { targetingKey: on.unit }), details('new_checkout', false, undefined, 'TYPE_MISMATCH'));
    expect(sink.events).toEqual([]);
    exposures.hook.finally(hookContext('new_checkout', { targetingKey: on.unit }), details('new_checkout', true, 'on'));
    expect(sink.events.map((e) => [e.unit, e.variant])).toEqual([[on.unit, 'on']]);
  });

  it('never exposes a remembered assignment whose evaluation ended in an error', () => {
    const { bucketry, sink } = flagClient();
    const exposures = createExposures(bucketry, targetingKeyUnit);
    const on = unitWith(bucketry, 'new_checkout', 'bucketed', {}, 'on');
    const context = { targetingKey: on.unit };
    exposures.remember(context, 'new_checkout', on);
    exposures.hook.finally(hookContext('new_checkout', context), details('new_checkout', false, undefined, 'GENERAL'));
    expect(sink.events).toEqual([]);
  });
});
