import { describe, expect, it } from 'vitest';
import { createBucketry } from './client.js';

// Bucketry.update(set) without a source: the status says the set came from 'update', both when
// the set is taken and, in the stale reason, when it is refused.
const at = (rollout: number) => ({ key: 'checkout', variants: ['tree', 'list'], rollout }) as const;

describe('update without a source', () => {
  it("records 'update' as where the set came from", () => {
    const bucketry = createBucketry({ experiments: [at(10)] });
    expect(bucketry.status().source).toBe('code');
    bucketry.update([at(20)]);
    expect(bucketry.status().source).toBe('update');
  });

  it("names 'update' in the stale reason of a refused set", () => {
    const bucketry = createBucketry({ experiments: [at(10)], onError: () => {} });
    expect(() => bucketry.update([{ key: 'checkout', variants: ['tree'] } as never])).toThrow();
    expect(bucketry.status().staleReason).toMatch(/^update sent an invalid set of experiments/);
  });
});
