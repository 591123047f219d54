import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { typeErrorLines } from '../test-support/type-errors.js';

// The README's first code block is what a newcomer pastes: it must compile against the built
// @bucketry/core and keep its comment's promise that `variant` is 'tree' | 'list'. The lines
// appended below use the result as an app would; each ending in `// type error` must fail to
// compile (a misspelled key, a variant outside the set), and no other line may.
const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const firstBlock = /^```ts\n([\s\S]*?)^```$/m.exec(readme)![1]!;
const dir = fileURLToPath(new URL('./', import.meta.url));

const AROUND = `
declare global {
  const analytics: { track(name: string, properties: object): void };
  const logger: { warn(fields: object, message: string): void };
  const user: { readonly id: string };
}
export {};
`;

const USES = `
const upper: string = variant.toUpperCase();
const layout: 'tree' | 'list' = variant;
const narrowed: 'tree' = variant; // type error
bucketry.assign('skil_tree_layout', user.id); // type error
bucketry.assign('skill_tree_layout', user.id).variant === 'grid'; // type error
export { upper, layout, narrowed };
`;

describe('the README’s first example', () => {
  it('types `variant` as the listed variants and refuses a misspelled key', () => {
    const source = `${firstBlock}${USES}`;
    const expected = source.split('\n').flatMap((line, i) => (line.trimEnd().endsWith('// type error') ? [i + 1] : []));
    const file = `${dir}readme-first-block.ts`;
    const { lines, messages } = typeErrorLines(new Map([[file, source], [`${dir}readme-around.d.ts`, AROUND]]), file);
    expect(expected).toHaveLength(3);
    expect(lines, messages.join('\n')).toEqual(expected);
  }, 60_000);
});
