import { builtinModules } from 'node:module';

/** Every module a piece of JavaScript or TypeScript imports or requires, by its specifier. */
export function importedModules(code: string): string[] {
  const found = new Set<string>();
  const patterns = [/\bfrom\s*["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g, /^\s*import\s*["']([^"']+)["']/gm];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) found.add(match[1]!);
  return [...found].sort();
}

/** Whether a specifier names a Node built-in (`node:crypto`, `crypto`, `fs/promises`). */
export const isNodeBuiltin = (specifier: string): boolean => specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!);
