import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importedModules, isNodeBuiltin } from './test-support/imported-modules.js';

// What ships into a Next.js 15 Edge middleware bundle: this package's dist and the dists of the
// Bucketry packages it imports. None may import anything but each other and next/server.
const packages = {
  next: ['next/server.js', '@bucketry/core', '@bucketry/http'],
  http: ['@bucketry/core'],
  core: [],
} as const;

describe.each(Object.entries(packages))('the built @bucketry/%s', (name, allowed) => {
  for (const file of ['index.js', 'index.cjs']) {
    it(`${file} imports no Node built-in, only ${allowed.join(', ') || 'nothing'}`, () => {
      const path = fileURLToPath(new URL(`../../${name}/dist/${file}`, import.meta.url));
      if (!existsSync(path)) throw new Error(`${path} is missing: run \`pnpm build\` first`);
      const code = readFileSync(path, 'utf8');
      const modules = importedModules(code);
      expect(modules.filter(isNodeBuiltin)).toEqual([]);
      expect(modules.filter((m) => !(allowed as readonly string[]).includes(m))).toEqual([]);
      expect(code).not.toMatch(/\bBuffer\b|\b__dirname\b|\bnode:/);
    });
  }
});

it('the scan finds every form of import, and all of the next dist’s', () => {
  expect(importedModules(`import { a } from "node:crypto";\nconst b = require('fs'); import('x');\nimport "y";`)).toEqual(['fs', 'node:crypto', 'x', 'y']);
  const code = readFileSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)), 'utf8');
  expect(importedModules(code)).toEqual([...packages.next].sort());
});
