import { createBucketry, type Bucketry, type ExperimentJSON } from '@bucketry/core';
import { afterEach } from 'vitest';
import type { LiveSource, SourceOptions } from '../source-options.js';
import type { RolloutStore } from '../store.js';
import { createStoreSource } from '../store-source.js';

/** The runbook's experiment at 0% in code: any treatment a test sees came from the store. */
const BASE: readonly ExperimentJSON[] = [
  { key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 0 },
  { key: 'pilot', variants: ['off', 'on'], rollout: 0 },
];

/** A poll far beyond any test: what arrives, arrives by the push channel (or at a test's own interval). */
const NO_POLL = 600_000;

/** A live client over {@link BASE}, and every error its source reported. */
function liveClient(): { bucketry: Bucketry; errors: { error: unknown; stage: string }[]; onError: (error: unknown, context: { stage: string }) => void } {
  const errors: { error: unknown; stage: string }[] = [];
  return {
    bucketry: createBucketry({ experiments: BASE }),
    errors,
    onError: (error, { stage }) => void errors.push({ error, stage }),
  };
}

/** The rollout of an experiment in force in the client. */
export const rolloutOf = (bucketry: Bucketry, key = 'skill_tree_layout'): number => bucketry.experiment(key).rollout;

/**
 * For the tests of one file: `startSource(store or opener, options)` starts a source, over a store
 * or made by the opener, on a {@link liveClient} of its own, with {@link BASE}, {@link NO_POLL} and
 * the client's `onError` unless `options` say otherwise; each is closed after its test.
 */
export function sourcesClosedAfterEach() {
  const sources: LiveSource[] = [];
  afterEach(async () => void (await Promise.all(sources.splice(0).map((source) => source.close()))));
  return async function startSource(from: RolloutStore | ((bucketry: Bucketry, options: SourceOptions) => LiveSource), options: Partial<SourceOptions> = {}) {
    const client = liveClient();
    const open = typeof from === 'function' ? from : (bucketry: Bucketry, all: SourceOptions) => createStoreSource(bucketry, from, all);
    const source = open(client.bucketry, { base: BASE, pollInterval: NO_POLL, onError: client.onError, ...options });
    sources.push(source);
    await source.start();
    return { ...client, source };
  };
}
