import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Bundles `entry` (a file of packages/live/src) into `outfile` as tsup builds dist for Node: one ESM
 * file, the drivers inside (pg's optional pg-native left out), `require` given back to the CommonJS
 * they contain. For tests that run the package in a child process.
 */
export async function bundleForNode(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [fileURLToPath(new URL(`../${entry}`, import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['pg-native'],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'silent',
  });
}
