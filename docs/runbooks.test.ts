import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storedRecord, testStore, type StoreKind } from '../examples/skill-tree/src/test-support/test-stores.js';
import { ROOT } from '../scripts/docs/guide-session.mjs';
import { docsGuides, runGuide } from '../scripts/docs/run-guide.mjs';

// The runbooks under docs/runbooks/, run as an operator would: every command, in order, against
// the real example API started with the documented environment, printing what the runbook says.
// Apart from guides.test.ts so that the two files run in parallel.
//
// Each procedure ends with its no-redeploy path: `export BUCKETRY_STORE=file:rollouts.json`, three
// instances of the API on that store, `bucketry rollout set` for each change and the rollback,
// and wait-for-rollout.mjs after each (it polls every instance's status route, with a deadline,
// and fails naming one that does not follow). The tests stand a PostgreSQL schema or a Redis key
// prefix of their own in for the file in some of them, so each store is run at least once.
// The guarded rollout is one instance and a monitor, not three instances on a store: it has its own test beside it.
const runbooks = docsGuides().filter((path) => path.startsWith('docs/runbooks/') && path !== 'docs/runbooks/guarded-rollout.md');
const STORES: Readonly<Record<string, StoreKind>> = {
  'docs/runbooks/staged-rollout.md': 'postgres',
  'docs/runbooks/ramp-50.md': 'redis',
};
const INSTANCES = [3000, 3001, 3002];

/** The line of the runbook's `export BUCKETRY_STORE=…`, where its store section starts; undefined without one. */
function storeSectionLine(runbook: string): number | undefined {
  const index = readFileSync(join(ROOT, runbook), 'utf8')
    .split('\n')
    .findIndex((line) => line.startsWith('$ export BUCKETRY_STORE='));
  return index < 0 ? undefined : index + 1;
}

describe.each(runbooks)('%s', (runbook) => {
  const kind = STORES[runbook] ?? 'file';
  const label = storeSectionLine(runbook) === undefined ? '' : ` (BUCKETRY_STORE: ${kind})`;
  it(`does what it says: every command runs and prints the documented output${label}`, async () => {
    const store = kind === 'file' ? undefined : testStore(kind, `runbook_${runbook.replace(/^.*\/|\.md$|\W/g, '').slice(0, 12)}`);
    try {
      const starts = await runGuide(runbook, store ? { exports: { BUCKETRY_STORE: store.url } } : {});
      const section = storeSectionLine(runbook);
      if (runbook === 'docs/runbooks/README.md') return;
      expect(section, `${runbook} has no store section (export BUCKETRY_STORE=…)`).toBeDefined();
      // Three instances on the store, each started once: every change after that reached them
      // without a restart (the runbook's wait-for-rollout checks did not fail).
      const onStore = starts.filter(({ where }) => Number(where.split(':').at(-1)) > section!);
      expect(onStore.map(({ port }) => port).sort()).toEqual(INSTANCES);
      // The changes went to the store the test gave, not to the runbook's file: every runbook ends with the kill switch.
      if (store) expect(await storedRecord(store, 'skill_tree_layout')).toMatchObject({ rollout: 0, actor: 'ana' });
    } finally {
      await store?.cleanup();
    }
  }, 240_000);
});
