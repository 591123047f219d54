// `node bench/compare-core.mjs [--baseline <git revision>] [--rounds N]`: this tree's
// @bucketry/core against the core of an earlier revision (default HEAD~1), side by side in one
// process, printed as ratios: assignVariant, the client's peek and xxhash32 on the bench's id
// sets. Both are bundled from source by esbuild with the same settings, so only the code differs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { bestOfRounds, loadAtRevision } from './baseline-tree.mjs';
import { ID_SETS } from './ids.mjs';

const { values } = parseArgs({ options: { baseline: { type: 'string', default: 'HEAD~1' }, rounds: { type: 'string', default: '3' } } });
const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'bucketry-compare-'));

/** Bundles core's index.ts from `sourceRoot` into one ES module and imports it. */
async function loadCore(sourceRoot, name) {
  const outfile = join(scratch, `${name}.mjs`);
  await build({ entryPoints: [join(sourceRoot, 'packages/core/src/index.ts')], bundle: true, format: 'esm', platform: 'neutral', outfile, logLevel: 'error' });
  return import(pathToFileURL(outfile).href);
}

try {
  const builds = { current: await loadCore(root, 'current') };
  const { revision, loaded } = await loadAtRevision(root, values.baseline, join(scratch, 'baseline'), (tree) => loadCore(tree, 'baseline'));
  builds.baseline = loaded;

  const config = { key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 10 };
  const cases = [];
  for (const [build, core] of Object.entries(builds)) {
    const experiment = core.defineExperiment(config);
    const client = core.createBucketry({ experiments: [config] });
    for (const set of ['user', 'uuid']) {
      const ids = ID_SETS[set];
      cases.push({ name: `${build} assignVariant ${set}`, fn: (id) => core.assignVariant(experiment, id).bucket, ids });
      cases.push({ name: `${build} client.peek ${set}`, fn: (id) => client.peek('skill_tree_layout', id).bucket, ids });
      cases.push({ name: `${build} xxhash32 ${set}`, fn: (id) => core.xxhash32(id, 42), ids });
    }
  }
  const best = bestOfRounds(cases, Number(values.rounds));
  console.log(`@bucketry/core: this tree against ${values.baseline} (${revision}); best of ${values.rounds} rounds, ops/s`);
  for (const c of cases.filter((c) => c.name.startsWith('current'))) {
    const what = c.name.slice('current '.length);
    const ratio = best.get(c.name) / best.get(`baseline ${what}`);
    console.log(`  ${what.padEnd(24)} current ${(best.get(c.name) / 1e6).toFixed(2)}M  baseline ${(best.get(`baseline ${what}`) / 1e6).toFixed(2)}M  current/baseline ${ratio.toFixed(3)}`);
  }
  for (const build of Object.keys(builds)) {
    for (const set of ['user', 'uuid']) {
      console.log(`  ${build} assignVariant / xxhash32 (cost of one assignment in hashes), ${set}: ${(best.get(`${build} xxhash32 ${set}`) / best.get(`${build} assignVariant ${set}`)).toFixed(2)}`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
