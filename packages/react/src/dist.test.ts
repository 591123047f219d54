// @vitest-environment node
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// What `pnpm build` (tsup) ships. Root `pnpm test` builds first; alone, run `pnpm --filter @bucketry/react build`.
const dist = (file: string): string => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));

describe.each(['index.js', 'index.cjs'])('dist/%s', (file) => {
  const read = (): string => {
    if (!existsSync(dist(file))) throw new Error(`${dist(file)} is missing: run \`pnpm --filter @bucketry/react build\` first`);
    return readFileSync(dist(file), 'utf8');
  };

  it("starts with the 'use client' directive, so server-component frameworks treat it as client code", () => {
    expect(read().split('\n')[0]).toBe("'use client';");
  });

  it('leaves React, core and http to the app: it imports them, never bundles them', () => {
    const code = read();
    const imports = file.endsWith('.cjs') ? /require\("([^"]+)"\)/g : /from "([^"]+)"/g;
    expect(new Set([...code.matchAll(imports)].map((m) => m[1]))).toEqual(new Set(['react', '@bucketry/core', '@bucketry/http']));
    expect(code).not.toMatch(/function xxhash32|react\.production/);
  });
});
