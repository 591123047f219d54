// @vitest-environment node
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { SNIPPET_COMPILER_OPTIONS, typeErrorLines } from '../../../test-support/type-errors.js';

// Every ```ts and ```tsx block of the README compiles against the built package (dist/index.d.ts),
// as a reader would paste it into an app. A block shows only the lines that matter, so the names
// an app would have around it are declared here. A line ending in `// type error` must fail to
// compile, and no other line may.
const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const blocks = [...readme.matchAll(/^```(tsx?)\n([\s\S]*?)^```$/gm)].map((match) => match[2]!);
const dir = fileURLToPath(new URL('../type-tests/', import.meta.url));

const AROUND_A_SNIPPET = `
import type { ReactNode } from 'react';
import type { Bucketry, Experiment, ExposureSink } from '@bucketry/core';
declare global {
  const createRoot: typeof import('react-dom/client').createRoot;
  const hydrateRoot: typeof import('react-dom/client').hydrateRoot;
  const renderToString: typeof import('react-dom/server').renderToString;
  const ExperimentProvider: typeof import('@bucketry/react').ExperimentProvider;
  const useExperiment: typeof import('@bucketry/react').useExperiment;
  const assignmentsFromHeaders: typeof import('@bucketry/react').assignmentsFromHeaders;
  const assignmentsFromCookies: typeof import('@bucketry/react').assignmentsFromCookies;
  const skillTreeLayout: Experiment<'skill_tree_layout', 'tree' | 'list'>;
  const bucketry: Bucketry<typeof skillTreeLayout>;
  const sink: ExposureSink;
  const root: import('react-dom/client').Root;
  const container: HTMLElement;
  const user: { readonly id: string } | null;
  const userId: string;
  function sendToAnalytics(events: readonly unknown[]): Promise<void>;
  function SkillList(): ReactNode;
  function SkillTree(): ReactNode;
  function App(): ReactNode;
}
`;

const options: ts.CompilerOptions = { ...SNIPPET_COMPILER_OPTIONS, jsx: ts.JsxEmit.ReactJSX };

/** The 1-based lines of `snippet` that have a type error. */
function linesWithErrors(snippet: string, index: number): { lines: number[]; messages: string[] } {
  const file = `${dir}readme-${index}.tsx`;
  // `export {}` makes every block a module, so a `declare module` in it augments the package.
  const sources = new Map([
    [file, `${snippet}\nexport {};\n`],
    [`${dir}readme-around.d.ts`, AROUND_A_SNIPPET],
  ]);
  return typeErrorLines(sources, file, options);
}

describe('the README’s TypeScript', () => {
  it('has the blocks this test reads (the minimal example among them)', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    expect(blocks.some((block) => block.includes('function SkillsPage()'))).toBe(true);
  });

  it.each(blocks.map((block, index) => [index + 1, block] as const))('block %i compiles, and fails exactly on its `// type error` lines', (index, block) => {
    const expected = block
      .split('\n')
      .flatMap((line, i) => (line.trimEnd().endsWith('// type error') ? [i + 1] : []));
    const { lines, messages } = linesWithErrors(block, index);
    expect(lines, messages.join('\n')).toEqual(expected);
  });
}, 60_000);
