import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_LINE_BYTES } from '../input/read-lines.js';
import { PRESETS } from '../policy/presets.js';
import { simulateExport } from '../simulate/simulate.js';
import { analyzeStream, defaultThreads, PARALLEL_MIN_BYTES, type AnalyzeHooks } from './analyze.js';
import type { AnalyzeOptions } from './options.js';
import { ParallelClassification } from './parallel.js';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';

useSlowTestTimeouts();

// The build ships the worker script; from source, it is bundled here so the threads run this code.
const dir = mkdtempSync(join(tmpdir(), 'bucketry-worker-'));
const workerScript = join(dir, 'classify-worker.mjs');

beforeAll(async () => {
  await build({
    entryPoints: [fileURLToPath(new URL('./classify-worker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: workerScript,
    logLevel: 'silent',
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const smoke = PRESETS['smoke-10']!;
const OPTIONS: AnalyzeOptions = {
  experiment: 'skill_tree_layout',
  variants: ['tree', 'list'],
  weights: smoke.weights,
  guardrails: smoke.guardrails,
  metrics: ['session_started_from_tree'],
};

/**
 * The report and every bad line as reported, with threads or without. Checks the threads did the
 * reading when asked to: otherwise the comparisons below would be of one thread with itself.
 */
async function analyse(bytes: Buffer, threads: number, options: AnalyzeOptions = OPTIONS) {
  const badLines: [number, string][] = [];
  const parallelBlocks = vi.spyOn(ParallelClassification.prototype, 'block');
  const hooks: AnalyzeHooks = { onBadLine: (line, reason) => badLines.push([line, reason]), workerScript };
  // Chunks of uneven sizes, as pipes and gzip hand them over.
  const chunks: Buffer[] = [];
  for (let at = 0, size = 1000; at < bytes.length; at += size, size = (size * 7) % 300_000 + 1) chunks.push(bytes.subarray(at, at + size));
  try {
    const report = await analyzeStream(Readable.from(chunks), { ...options, threads }, hooks);
    return { report, badLines };
  } finally {
    // Checked when the analysis fails too: a failure compared with one thread's must come from the threads.
    const handedToThreads = parallelBlocks.mock.calls.length > 0;
    parallelBlocks.mockRestore();
    expect(handedToThreads, `blocks handed to worker threads with threads: ${threads}`).toBe(threads > 0);
  }
}

describe('ParallelClassification', () => {
  it('uses threads by default only for a large input with a core free for each thread', () => {
    expect(defaultThreads(PARALLEL_MIN_BYTES, 4, 0.4)).toBe(2);
    expect(defaultThreads(1e9, 8, 4.5)).toBe(2);
    expect(defaultThreads(1e9, 4, 1.5)).toBe(0); // busy: threads would only add CPU time
    expect(defaultThreads(1e9, 2, 0)).toBe(0); // two cores: the threads' overhead eats the gain
    expect(defaultThreads(PARALLEL_MIN_BYTES - 1, 8, 0)).toBe(0);
    expect(defaultThreads(undefined, 8, 0)).toBe(0); // a stream of unknown size
  });

  it('finds the worker script of the build, or says it is not there', () => {
    expect(ParallelClassification.available(workerScript)).toBe(true);
    expect(ParallelClassification.available(join(dir, 'missing.js'))).toBe(false);
  });

  it('gives exactly the report of one thread, bad lines in order included, on a large mixed export', async () => {
    const lines = [...simulateExport({ users: 6000, rollout: 10, seed: 3, badLines: 40, mixedUnits: 0.01, noise: 3 })];
    const amplitude = [...simulateExport({ users: 1500, rollout: 10, seed: 4, format: 'amplitude', badLines: 10 })];
    // Lines JSON.parse must read (escapes, non-ASCII ids), a line too long to keep, blank lines.
    lines.splice(100, 0, JSON.stringify({ event: 'session_started_from_tree', userId: 'żółw', timestamp: '2025-06-02T00:30:00.000Z', properties: { note: 'a "quoted" é' } }));
    lines.splice(2000, 0, `{"event":"page_viewed","userId":"x","pad":"${'x'.repeat(MAX_LINE_BYTES + 10)}"}`, '', '   ');
    const bytes = Buffer.from([...lines, ...amplitude].join('\n') + '\n');
    const one = await analyse(bytes, 0);
    const three = await analyse(bytes, 3);
    expect(three.report).toEqual(one.report);
    expect(three.badLines).toEqual(one.badLines);
    expect(one.report.input.badLines.byReason['line too long']).toBe(1);
    expect(one.badLines.length).toBeGreaterThan(40);
    expect(one.report.input.flavors.amplitude).toBeGreaterThan(0);
  });

  it('gives the same report with threads on gzip, and in strict mode', async () => {
    const text = [...simulateExport({ users: 3000, rollout: 10, seed: 9, badLines: 20 })].join('\n');
    expect((await analyse(gzipSync(text), 2)).report).toEqual((await analyse(Buffer.from(text), 0)).report);
    const strict = { ...OPTIONS, strict: true };
    expect((await analyse(Buffer.from(text), 2, strict)).report).toEqual((await analyse(Buffer.from(text), 0, strict)).report);
  });

  it('gives the same report with threads when numeric properties and ratios are read (their lines go to JSON.parse)', async () => {
    const text = [...simulateExport({ users: 3000, rollout: 10, seed: 11 })].join('\n');
    const values: AnalyzeOptions = {
      ...OPTIONS,
      values: [{ event: 'skill_tree_loaded', property: 'duration_ms' }],
      ratios: [{ numerator: { event: 'skill_tree_error' }, denominator: { event: 'skill_tree_loaded' } }],
    };
    const one = (await analyse(Buffer.from(text), 0, values)).report;
    expect((await analyse(Buffer.from(text), 2, values)).report).toEqual(one);
    expect(one.values[0]!.variants[1]!.values).toBeGreaterThan(100);
    expect(one.ratios[0]!.variants[0]!.denominator).toBe(one.values[0]!.variants[0]!.values);
  });

  it('ignores an event whose id was counted from another worker thread, as one thread does', async () => {
    const lines = [...simulateExport({ users: 6000, rollout: 10, seed: 12 })];
    const original = await analyse(Buffer.from(lines.join('\n') + '\n'), 0);
    // A batch delivered again, at the end: its copies are classified in other batches, on either worker.
    const bytes = Buffer.from([...lines, ...lines.slice(1000, 4000)].join('\n') + '\n');
    const one = await analyse(bytes, 0);
    const two = await analyse(bytes, 2);
    expect(two.report).toEqual(one.report);
    expect(one.report.input.duplicateEvents).toBeGreaterThan(1000);
    expect({ ...one.report, input: undefined }).toEqual({ ...original.report, input: undefined });
  });

  it('counts the lines read before a truncated gzip, as one thread does', async () => {
    const packed = gzipSync([...simulateExport({ users: 3000, rollout: 10, seed: 5 })].join('\n'));
    const broken = packed.subarray(0, packed.length - 30);
    const failure = (threads: number) => analyse(broken, threads).then(() => 'no error', (error: Error) => error.message);
    const message = await failure(0);
    expect(message).toMatch(/^cannot read the input after \d+ lines: unexpected end of file/);
    expect(await failure(2)).toBe(message);
  });
});
