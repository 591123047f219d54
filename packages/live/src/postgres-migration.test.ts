import { describe, expect, it } from 'vitest';
import { migrateOnce } from './postgres-migration.js';

describe('migrateOnce', () => {
  it('runs the migration once for every caller, and again after it failed', async () => {
    let runs = 0;
    const outcomes = [new Error('database down'), undefined];
    const ready = migrateOnce(async () => {
      const outcome = outcomes[runs++];
      if (outcome) throw outcome;
    });
    const first = [ready(), ready()];
    await expect(first[0]).rejects.toThrow('database down');
    await expect(first[1]).rejects.toThrow('database down');
    expect(runs).toBe(1); // concurrent callers share one run
    await ready(); // the failure is not kept: this call runs it again
    await Promise.all([ready(), ready()]);
    expect(runs).toBe(2); // and once it worked, never again
  });
});
