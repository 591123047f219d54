import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

/** One name a package's src/index.ts exports. */
export interface IndexExport {
  /** The name importers use. */
  readonly name: string;
  /** The name where it is declared (differs from `name` for `export { a as b }`). */
  readonly local: string;
  /** The module it is re-exported from (`./unit.js`, `@bucketry/http`), or undefined when index.ts declares it. */
  readonly from: string | undefined;
}

/**
 * Every name a src/index.ts exports, from its `export { … }` and `export type { … }` lists (with
 * `as` renames) and its `export <declaration>` lines. Shared by the TSDoc check below and the API
 * reference test (scripts/api-reference.test.ts).
 */
export function indexExports(source: string): IndexExport[] {
  const found = new Map<string, IndexExport>();
  for (const [, list, from] of source.matchAll(/export\s*(?:type\s*)?\{([^}]*)\}(?:\s*from\s*['"]([^'"]+)['"])?/g)) {
    for (const item of list!.split(',')) {
      const [local, name = local] = item.trim().replace(/^type\s+/, '').split(/\s+as\s+/).map((part) => part.trim());
      if (local && name !== 'default') found.set(name!, { name: name!, local, from });
    }
  }
  for (const [, name] of source.matchAll(/export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|const|let|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g)) {
    found.set(name!, { name: name!, local: name!, from: undefined });
  }
  return [...found.values()];
}

/**
 * Adds one test per name src/index.ts exports from the package's own modules: it must carry TSDoc
 * with an @example right above its declaration somewhere in `srcDir` (tests and test support
 * aside). Names re-exported from another package are documented, and checked, there. One more
 * test checks that every value the module exports at run time is among the names read, so an
 * export form the reader does not know (`export *`) fails instead of going unchecked. Shared by
 * every package.
 */
export function itDocumentsEveryExport(srcDir: string): void {
  const indexPath = join(srcDir, 'index.ts');
  const exported = indexExports(readFileSync(indexPath, 'utf8'));
  const own = exported.filter(({ from }) => from === undefined || from.startsWith('.'));
  const sources = readdirSync(srcDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file) && !file.includes('test-support'))
    .map((file) => readFileSync(join(srcDir, file), 'utf8'));
  const docOf = (name: string): string | undefined => {
    const declaration = new RegExp(
      `(/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/)\\s*export\\s+(?:declare\\s+)?(?:async\\s+)?(?:function\\*?|const|class|interface|type|let|enum)\\s+${name}\\b`,
    );
    for (const source of sources) {
      const match = declaration.exec(source);
      if (match) return match[1];
    }
    return undefined;
  };
  it('reads every value index.ts exports at run time', async () => {
    const module: Record<string, unknown> = await import(indexPath);
    expect(exported.map(({ name }) => name)).toEqual(expect.arrayContaining(Object.keys(module)));
  });
  it.each(own.map(({ name, local }) => [name, local]))('%s has TSDoc with an @example', (name, local) => {
    const doc = docOf(local!);
    expect(doc, `${name} has no TSDoc block right above its declaration`).toBeDefined();
    expect(doc, `${name}'s TSDoc has no @example`).toContain('@example');
  });
}
