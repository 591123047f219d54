import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Data flows one way: read (input) → tally (one row per unit) → judge (statistics, plain data)
// → report (a plain-data object) → format (all wording) → cli. A file may import its own layer or
// one below, never one above. Policies (what to check) and the simulator (which makes exports)
// depend on nothing here, so they sit at the bottom with the input.
const LAYERS = ['input', 'tally', 'judge', 'report', 'format', 'cli'] as const;
type Layer = (typeof LAYERS)[number];

/** The analysis/ files that read and count (the rest of analysis/ judges, except the report itself). */
const TALLY = new Set([
  'accumulator',
  'classify',
  'classify-parsed',
  'classify-scanned',
  'classify-worker',
  'cuped-covariates',
  'cuped-options',
  'cuped-pre-period',
  'detached-copy',
  'duplicate-events',
  'duration-tally',
  'event-id-hash',
  'event-id-set',
  'line-records',
  'options',
  'options-error',
  'sequential-options',
  'series-options',
  'parallel',
  'segment-options',
  'segment-table',
  'segment-value',
  'unit-sample',
  'unit-slots',
  'unit-table',
  'unit-values',
]);
/** The analysis/ files that put the report together, and run the whole way from input to report. */
const REPORT = new Set(['report', 'analyze', 'no-exposures']);

const SRC = fileURLToPath(new URL('.', import.meta.url));

/** The layer of a source file (a path relative to src/, without its extension). */
function layerOf(file: string): Layer {
  const [folder, name = ''] = file.split('/');
  switch (folder) {
    case 'input':
    case 'policy':
    case 'simulate':
      return 'input';
    case 'analysis':
      return TALLY.has(name) ? 'tally' : REPORT.has(name) ? 'report' : 'judge';
    case 'format':
      return 'format';
    default:
      // cli/, cli.ts and index.ts: the entry points; and any folder not named above, such as
      // warehouse/ (the SQL engines the CLI runs in place of the streaming one, which use the CLI's
      // UsageError): it may import anything, and nothing below may import it.
      return 'cli';
  }
}

/** Every import of a module from this package in a source text: `from './x.js'`, `import('./x.js')`. */
function relativeImports(source: string): string[] {
  return [...source.matchAll(/(?:from\s+|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((match) => match[1]!);
}

/** The imports of `files` (path → source text) that go up a layer, as "from → to" lines. */
function upwardImports(files: ReadonlyMap<string, string>): string[] {
  const found: string[] = [];
  for (const [file, source] of files) {
    const from = file.replace(/\.ts$/, '');
    for (const target of relativeImports(source)) {
      const to = join(dirname(from), target).replace(/\.(js|ts)$/, '');
      if (LAYERS.indexOf(layerOf(to)) > LAYERS.indexOf(layerOf(from))) found.push(`${from} (${layerOf(from)}) → ${to} (${layerOf(to)})`);
    }
  }
  return found;
}

const sources = new Map(
  readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !/\.test(-helper)?\.ts$/.test(file))
    .map((file) => [relative(SRC, join(SRC, file)).split('\\').join('/'), readFileSync(join(SRC, file), 'utf8')] as const),
);

describe('import direction', () => {
  it('no source file imports a layer above its own (input → tally → judge → report → format → cli)', () => {
    expect(sources.size).toBeGreaterThan(50);
    expect(upwardImports(sources)).toEqual([]);
  });

  it('places the files it knows where the pipeline has them', () => {
    expect(['input/export-event', 'policy/policy', 'analysis/accumulator', 'analysis/metrics', 'analysis/report', 'format/text', 'cli/main', 'index'].map(layerOf)).toEqual([
      'input',
      'input',
      'tally',
      'judge',
      'report',
      'format',
      'cli',
      'cli',
    ]);
    for (const name of [...TALLY, ...REPORT]) expect(sources.has(`analysis/${name}.ts`), `analysis/${name}.ts is listed but missing`).toBe(true);
  });

  it('catches an import that goes back up: the analysis wording its numbers, a policy reading a result', () => {
    const planted = new Map([
      ['analysis/srm.ts', "import { pValue } from '../format/numbers.js';\n"],
      ['policy/policy.ts', "import type { Outcome } from '../analysis/report.js';\n"],
      ['analysis/unit-table.ts', "export { buildReport } from './report.js';\n"],
      ['format/text.ts', "import { buildReport } from '../analysis/report.js';\n"],
    ]);
    expect(upwardImports(planted)).toEqual([
      'analysis/srm (judge) → format/numbers (format)',
      'policy/policy (input) → analysis/report (report)',
      'analysis/unit-table (tally) → analysis/report (report)',
    ]);
  });
});
