import { describe, expect, it } from 'vitest';
import { createBucketry } from './client.js';
import type { BucketryStatus } from './config-status.js';
import type { ExperimentJSON } from './experiment-json.js';

// The version of a set of experiments (status().version, update's answer) and who hears that it
// changed: 8 hex digits always, and onChange once per change of content, never for the same set.
const at = (rollout: number): ExperimentJSON => ({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout });

describe("a set's version", () => {
  it('is 8 hex digits, zero-padded when the hash is small', () => {
    const versions = Array.from({ length: 101 }, (_, rollout) => createBucketry({ experiments: [at(rollout)] }).status().version);
    for (const version of versions) expect(version).toMatch(/^[0-9a-f]{8}$/);
    // The padding is exercised: some of these hashes are below 0x10000000.
    expect(versions.some((version) => version.startsWith('0'))).toBe(true);
  });
});

describe('onChange', () => {
  it('is told of an update that changes the set, at once, and not of one that keeps it', () => {
    const bucketry = createBucketry({ experiments: [at(10)] });
    const heard: BucketryStatus[] = [];
    bucketry.onChange((status) => heard.push(status));
    const changed = bucketry.update([at(20)]);
    expect(heard.map((status) => status.version)).toEqual([changed]);
    bucketry.update([at(20)]);
    expect(heard).toHaveLength(1);
  });
});
