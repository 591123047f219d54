import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SLOW_TEST_TIMEOUT_MS, useSlowTestTimeouts } from '../../../test-support/slow-tests.js';

useSlowTestTimeouts();

const SRC = fileURLToPath(new URL('.', import.meta.url));
const testFiles = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.test.ts'));

/** What makes a test slow on a busy machine: the CLI, another process, worker threads, or analysing a simulated export. */
const SLOW_WORK = /\brunCli\(|node:child_process|\bexecFile\(|\bspawn\(|\bworkerScript\b|new Worker\(|\bsimulateExport\(/;

describe('test timeouts', () => {
  it('give every test file that runs the CLI, a process, worker threads or a simulated export the generous timeout', () => {
    const slow = testFiles.filter((file) => SLOW_WORK.test(readFileSync(`${SRC}/${file}`, 'utf8')));
    expect(slow).toContain('cli/main.test.ts');
    const without = slow.filter((file) => !/^useSlowTestTimeouts\(\);$/m.test(readFileSync(`${SRC}/${file}`, 'utf8')));
    expect(without, 'call useSlowTestTimeouts() at the top of these files').toEqual([]);
    // it(name, fn, 30_000) or a hook's own timeout overrides the file's, shorter again.
    const overriding = slow.filter((file) => /\}, \d[\d_]*\);/.test(readFileSync(`${SRC}/${file}`, 'utf8')));
    expect(overriding, 'leave these tests the generous timeout: drop their own').toEqual([]);
  });

  it('apply to the tests of a file that calls useSlowTestTimeouts()', ({ task }) => {
    expect(task.timeout).toBe(SLOW_TEST_TIMEOUT_MS);
    expect(SLOW_TEST_TIMEOUT_MS).toBeGreaterThanOrEqual(60_000);
  });
});
