import ts from 'typescript';

/** Strict options for type-checking a snippet as an app would (Bundler resolution, no emit). */
export const SNIPPET_COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  skipLibCheck: true,
  types: [],
};

/**
 * Type-checks in-memory files (path → text) as one program. Returns the 1-based lines of `file`
 * that have an error, and every diagnostic as `name:line: message` for the assertion's message.
 */
export function typeErrorLines(
  files: ReadonlyMap<string, string>,
  file: string,
  options: ts.CompilerOptions = SNIPPET_COMPILER_OPTIONS,
): { lines: number[]; messages: string[] } {
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (name) => files.has(name) || ts.sys.fileExists(name);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.getSourceFile = (name, language) => {
    const text = files.get(name);
    return text === undefined ? getSourceFile(name, language) : ts.createSourceFile(name, text, language);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const lineOf = (d: ts.Diagnostic): number => (d.file?.getLineAndCharacterOfPosition(d.start ?? 0).line ?? 0) + 1;
  return {
    lines: [...new Set(diagnostics.filter((d) => d.file?.fileName === file).map(lineOf))],
    messages: diagnostics.map((d) => `${d.file?.fileName.replace(/^.*\//, '') ?? ''}:${lineOf(d)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`),
  };
}
