import { ExperimentConfigError } from '@bucketry/core';
import type { BucketryProviderOptions } from './options.js';

const CONTEXT = '@bucketry/openfeature';

/**
 * Refuses options a provider cannot work with, at construction (start-up), naming the field, the
 * value and the rule; never later, inside an evaluation.
 * @internal
 */
export function checkOptions(client: unknown, options: unknown): BucketryProviderOptions {
  const fail = (field: string, value: unknown, rule: string): never => {
    throw new ExperimentConfigError(field, value, rule, CONTEXT);
  };
  const isClient = typeof client === 'object' && client !== null && ['peek', 'expose', 'experiment', 'status', 'onChange'].every((name) => typeof (client as Record<string, unknown>)[name] === 'function');
  if (!isClient) fail('client', client, 'must be a client from createBucketry');
  if (options === null || typeof options !== 'object') return fail('options', options, 'must be an object');
  const given = options as Record<string, unknown>;
  for (const name of ['unit', 'onTrack', 'onError'] as const) {
    if (given[name] !== undefined && typeof given[name] !== 'function') fail(name, given[name], 'must be a function when given');
  }
  const ready = given.ready;
  if (ready !== undefined && typeof ready !== 'function' && typeof (ready as { then?: unknown } | null)?.then !== 'function') {
    fail('ready', ready, 'must be a promise or a function returning one, e.g. () => source.start()');
  }
  for (const name of ['readyTimeout', 'statusInterval'] as const) {
    const ms = given[name];
    if (ms !== undefined && !(typeof ms === 'number' && Number.isFinite(ms) && ms > 0 && ms <= 2_147_483_647)) {
      fail(name, ms, 'must be a number of milliseconds above 0 and at most 2147483647');
    }
  }
  return given as BucketryProviderOptions;
}
