import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { typeErrorLines } from '../../../test-support/type-errors.js';
import { readFileSync } from 'node:fs';

// type-tests/flag-keys.ts types its flag keys through OpenFeature's module augmentation, against
// the built package (dist) and the real @openfeature/server-sdk types, as an app would.
const fixture = fileURLToPath(new URL('../type-tests/flag-keys.ts', import.meta.url));
const augmentation = fileURLToPath(new URL('../type-tests/openfeature-flags.d.ts', import.meta.url));
const program = (text: string) => new Map([[fixture, text], [augmentation, readFileSync(augmentation, 'utf8')]]);

describe('typed flag keys through OpenFeature’s module augmentation', () => {
  it('compiles with every @ts-expect-error needed: a misspelled key is refused', () => {
    const { lines, messages } = typeErrorLines(program(readFileSync(fixture, 'utf8')), fixture);
    expect(messages).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('without the @ts-expect-error lines, exactly those three calls fail; without the augmentation, none', () => {
    const text = readFileSync(fixture, 'utf8').replace(/\/\/ @ts-expect-error.*\n/g, '// expected below\n');
    const { lines } = typeErrorLines(program(text), fixture);
    const expectedLines = text.split('\n').flatMap((_, index, all) => (all[index - 1]?.includes('expected below') ? [index + 1] : []));
    expect(expectedLines).toHaveLength(3);
    expect(lines.sort((a, b) => a - b)).toEqual(expectedLines);
    expect(typeErrorLines(new Map([[fixture, text]]), fixture).lines).toEqual([]); // keys are plain strings without it
  });
}, 60_000);

