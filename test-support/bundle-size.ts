import type { Metafile } from 'esbuild';
import { gzippedBundle } from './gzipped-bundle.mjs';

/** What {@link measureBundle} found. */
export interface BundleMeasure {
  gzipped: number;
  minified: number;
  exports: string[];
  /** Minified bytes per source file, largest first: what to shrink when over budget. */
  breakdown: string;
}

/**
 * Bundles `entry` (module source, e.g. `export * from "/abs/src/index.ts"`) as an app's
 * production build would, leaving `external` packages out, and gzips it at level 9 (see
 * gzipped-bundle.mjs). Shared by the packages' bundle-size tests.
 */
export async function measureBundle(entry: string, { resolveDir, external = [] }: { resolveDir: string; external?: string[] }): Promise<BundleMeasure> {
  const { result, minified, gzipped } = await gzippedBundle(entry, { resolveDir, loader: 'ts', external, metafile: true });
  const output = Object.values((result.metafile as Metafile).outputs)[0]!;
  const breakdown = Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .sort(([, a], [, b]) => b.bytesInOutput - a.bytesInOutput)
    .map(([file, input]) => `${file.replace(/^.*\/src\//, '')} ${input.bytesInOutput}`)
    .join(', ');
  return { gzipped, minified, exports: [...output.exports].sort(), breakdown };
}
