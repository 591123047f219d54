// @vitest-environment node
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Type-checks the fixtures in ../type-tests against the built package (dist/index.d.ts), as an
// app would import it. Each is a separate program, so one's Register augmentation cannot leak
// into the other.
const fixture = (name: string): string => fileURLToPath(new URL(`../type-tests/${name}`, import.meta.url));

function typeErrors(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: [],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? `${d.file.fileName.replace(/^.*\//, '')}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('typed keys and variants', () => {
  it('a registered client: keys are checked, variants are the experiment’s own', () => {
    expect(typeErrors(fixture('registered.ts'))).toEqual([]);
  });

  it('without a registration: any key, string variants', () => {
    expect(typeErrors(fixture('unregistered.ts'))).toEqual([]);
  });
}, 30_000);
