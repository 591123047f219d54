import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vitest/config';
import { importedModules, isNodeBuiltin } from './imported-modules.ts';

const packagesDir = fileURLToPath(new URL('../../../', import.meta.url));
/** The code that ships into an Edge bundle: these packages' sources and dists, tests aside. */
const shipped = (file: string): boolean =>
  ['next', 'http', 'core'].some((name) => file.startsWith(`${packagesDir}${name}/`)) &&
  !file.includes('/node_modules/') &&
  !/\.test\.tsx?$|\/test-support\//.test(file);

/**
 * A Vite plugin for the next-edge project: a Node built-in imported by @bucketry/next, http or
 * core (source or dist) fails the run, as it would fail in Next.js 15's Edge middleware. It reads
 * the imports as each module is loaded, since Vitest loads built-ins without resolving them.
 */
export function refuseNodeBuiltins(): Plugin {
  return {
    name: 'bucketry:refuse-node-builtins',
    enforce: 'pre',
    transform(code, id) {
      const file = id.split('?')[0]!;
      if (!shipped(file)) return null;
      const builtins = importedModules(code).filter(isNodeBuiltin);
      if (builtins.length > 0) this.error(`${file} imports the Node built-in ${builtins.join(', ')}, which the Edge runtime does not have`);
      return null;
    },
  };
}

/** `next/server` resolved to Next.js 15 (the `next15` alias), the version that runs middleware on the Edge runtime. */
export const next15ServerAlias = [
  { find: /^next\/server(\.js)?$/, replacement: fileURLToPath(new URL('../../node_modules/next15/server.js', import.meta.url)) },
];
