import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseGuide } from '../../../scripts/docs/markdown-commands.mjs';
import { typeErrorLines } from '../../../test-support/type-errors.js';

// docs/getting-started/openfeature.md: docs/guides.test.ts installs, writes and runs its JavaScript
// and its commands; here its TypeScript files compile against the built package and the real SDK
// types, as the reader's would, and the typed keys refuse a misspelled key.
const guide = readFileSync(fileURLToPath(new URL('../../../docs/getting-started/openfeature.md', import.meta.url)), 'utf8');
const files = (parseGuide(guide) as { kind: string; path?: string; content?: string }[]).filter((block) => block.kind === 'file');
const dir = fileURLToPath(new URL('../', import.meta.url)); // so the packages resolve as from an app

const MISUSE = `
OpenFeature.getClient().getBooleanValue('new_chekout', false); // type error
OpenFeature.getClient().getBooleanValue('skill_tree_layout', false); // type error
OpenFeature.getClient().getObjectValue('skill_tree_layout', {});
`;

describe('the OpenFeature guide', () => {
  it('has the app, the flag keys and the browser setup as files', () => {
    expect(files.map((file) => file.path)).toEqual(['app.mjs', 'openfeature-flags.d.ts', 'web.ts']);
  });

  it('its TypeScript compiles, and with its typed keys a misspelled key or a key of another type does not', () => {
    const source = (path: string): string => files.find((file) => file.path === path)!.content!;
    const web = `${source('web.ts')}${MISUSE}`;
    const expected = web.split('\n').flatMap((line, i) => (line.trimEnd().endsWith('// type error') ? [i + 1] : []));
    const program = new Map([[`${dir}guide-web.ts`, web], [`${dir}guide-openfeature-flags.d.ts`, source('openfeature-flags.d.ts')]]);
    const { lines, messages } = typeErrorLines(program, `${dir}guide-web.ts`);
    expect(expected).toHaveLength(2);
    expect(lines.sort((a, b) => a - b), messages.join('\n')).toEqual(expected);
  }, 60_000);
});
