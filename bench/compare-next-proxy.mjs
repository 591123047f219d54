// `node bench/compare-next-proxy.mjs [--baseline <git revision>]`: what signing the forwarded
// assignments (issue #21) costs @bucketry/next, against the package at an earlier revision
// (default a8413d4~1, the last without signing): the proxy per request and fromHeaders per page,
// side by side in one process, printed as ratios. Both trees are bundled from source (next, http
// and core) by esbuild with the same settings, Next left out, so only the code differs.
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { bestOfRounds, loadAtRevision } from './baseline-tree.mjs';
import { userIds } from './ids.mjs';

const { values } = parseArgs({ options: { baseline: { type: 'string', default: 'a8413d4~1' }, rounds: { type: 'string', default: '3' } } });
const root = fileURLToPath(new URL('..', import.meta.url));
// Inside packages/next, so that the bundles' `next/server.js` resolves to the package's Next.
const scratch = join(root, 'packages/next', `.bench-${process.pid}`);
mkdirSync(scratch, { recursive: true });
const { NextRequest } = createRequire(join(root, 'packages/next/package.json'))('next/server.js');

/** Bundles @bucketry/next's index.ts from `tree`, with that tree's http and core, and imports it. */
async function loadNext(tree, name) {
  const outfile = join(scratch, `${name}.mjs`);
  await build({
    entryPoints: [join(tree, 'packages/next/src/index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    external: ['next', 'next/*'],
    alias: { '@bucketry/http': join(tree, 'packages/http/src/index.ts'), '@bucketry/core': join(tree, 'packages/core/src/index.ts') },
    outfile,
    logLevel: 'error',
  });
  return import(pathToFileURL(outfile).href);
}

/** The request headers a page gets from the proxy's response (what Next does with them). */
function forwarded(response) {
  const headers = new Headers();
  for (const name of response.headers.get('x-middleware-override-headers').split(',')) {
    headers.set(name, response.headers.get(`x-middleware-request-${name}`));
  }
  return headers;
}

try {
  const builds = { current: await loadNext(root, 'current') };
  const { revision, loaded } = await loadAtRevision(root, values.baseline, join(scratch, 'baseline'), (tree) => loadNext(tree, 'baseline'));
  builds.baseline = loaded;

  const experiments = [
    { key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 50 },
    { key: 'onboarding_copy', variants: ['short', 'long'], rollout: 50 },
    { key: 'pricing_table', variants: ['a', 'b', 'c'] },
  ];
  // Signed-in users, each request a new NextRequest as Next makes one; the sink keeps nothing.
  const requests = userIds.map((id) => new NextRequest('http://shop.example/skills', { headers: { 'x-user-id': id, accept: 'text/html' } }));
  const cases = [];
  for (const [name, next] of Object.entries(builds)) {
    const bucketry = next.createNextExperiments({
      experiments,
      sink: { write() {} },
      dedupe: false,
      user: (request) => request.headers.get('x-user-id'),
      // The baseline has no such option, and ignores it.
      secret: 'a-bench-secret-of-at-least-32-characters',
    });
    const pages = requests.map((request) => forwarded(bucketry.proxy(request)));
    if (bucketry.fromHeaders(pages[0]).assignments.length !== 3) throw new Error(`${name}: the page does not read the proxy's three assignments`);
    cases.push({ name: `${name} proxy`, fn: (request) => bucketry.proxy(request).status, ids: requests });
    cases.push({ name: `${name} fromHeaders`, fn: (headers) => bucketry.fromHeaders(headers).assignments.length, ids: pages });
  }
  const rounds = Number(values.rounds);
  const best = bestOfRounds(cases, rounds);
  console.log(`@bucketry/next: this tree against ${revision}, best of ${rounds} rounds (ops/s; 3 experiments per request)`);
  for (const what of ['proxy', 'fromHeaders']) {
    const current = best.get(`current ${what}`);
    const baseline = best.get(`baseline ${what}`);
    console.log(`  ${what.padEnd(12)} baseline ${Math.round(baseline).toLocaleString('en')}/s  current ${Math.round(current).toLocaleString('en')}/s  ratio ${(current / baseline).toFixed(2)}  (${((1e6 / current) - (1e6 / baseline)).toFixed(1)} µs more per call)`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
