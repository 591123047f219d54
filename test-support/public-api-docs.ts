import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

/**
 * Every name a package's src/index.ts re-exports from its own modules, from its `export { … }` and
 * `export type { … }` lists. Names re-exported from another package are documented, and checked, there.
 */
function exportedNames(srcDir: string): string[] {
  const index = readFileSync(join(srcDir, 'index.ts'), 'utf8');
  const names = new Set<string>();
  for (const block of index.matchAll(/export\s*(?:type\s*)?\{([^}]*)\}(?:\s*from\s*['"]([^'"]+)['"])?/g)) {
    if (block[2] !== undefined && !block[2].startsWith('.')) continue;
    for (const part of block[1]!.split(',')) {
      const name = part.replace(/^\s*type\s+/, '').trim();
      if (name) names.add(name);
    }
  }
  return [...names];
}

/**
 * Adds one test per exported name: it must carry TSDoc with an @example right above its
 * declaration somewhere in `srcDir` (tests and test support aside). Shared by every package.
 */
export function itDocumentsEveryExport(srcDir: string): void {
  const sources = readdirSync(srcDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.includes('test-support'))
    .map((file) => readFileSync(join(srcDir, file), 'utf8'));
  const docOf = (name: string): string | undefined => {
    const declaration = new RegExp(
      `(/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/)\\s*export\\s+(?:declare\\s+)?(?:async\\s+)?(?:function|const|class|interface|type|let)\\s+${name}\\b`,
    );
    for (const source of sources) {
      const match = declaration.exec(source);
      if (match) return match[1];
    }
    return undefined;
  };
  it.each(exportedNames(srcDir))('%s has TSDoc with an @example', (name) => {
    const doc = docOf(name);
    expect(doc, `${name} has no TSDoc block right above its declaration`).toBeDefined();
    expect(doc, `${name}'s TSDoc has no @example`).toContain('@example');
  });
}
