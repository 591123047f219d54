import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

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
 * production build would, leaving `external` packages out, and gzips it at level 9. Shared by
 * the packages' bundle-size tests.
 */
export async function measureBundle(entry: string, { resolveDir, external = [] }: { resolveDir: string; external?: string[] }): Promise<BundleMeasure> {
  const result = await build({
    stdin: { contents: entry, resolveDir, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    treeShaking: true,
    external,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  const output = Object.values((result.metafile as Metafile).outputs)[0]!;
  const breakdown = Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .sort(([, a], [, b]) => b.bytesInOutput - a.bytesInOutput)
    .map(([file, input]) => `${file.replace(/^.*\/src\//, '')} ${input.bytesInOutput}`)
    .join(', ');
  return { gzipped: gzipSync(code, { level: 9 }).length, minified: code.length, exports: [...output.exports].sort(), breakdown };
}
