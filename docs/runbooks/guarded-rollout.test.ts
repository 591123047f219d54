import { describe, expect, it } from 'vitest';
import { runGuide } from '../../scripts/docs/run-guide.mjs';

// docs/runbooks/guarded-rollout.md, run as an operator would (runbooks.test.ts runs the other
// runbooks, whose shape — three instances on one store — this one does not share): the plan, the
// baseline, release 1 rolled back by the monitor on its own, the daily report, release 2 advanced
// canary → beta → full by the monitor with its status page served. Each stage runs a minute of
// real time, so this runbook takes minutes (3 to 6 on a busy 2-core machine), not seconds.
describe('docs/runbooks/guarded-rollout.md', () => {
  it('does what it says: every command runs and prints the documented output', async () => {
    const starts = await runGuide('docs/runbooks/guarded-rollout.md');
    // The API of each release, and the monitor of release 2 with its status page, each started once.
    expect(starts.map(({ port }) => port)).toEqual([3000, 3000, 4000]);
  }, 900_000);
});
