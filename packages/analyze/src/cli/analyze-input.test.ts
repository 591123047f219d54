// The analyzer's input and output at the edges a shell reaches: a byte order mark, UTF-16, a named
// pipe, process substitution, a full device. The bin runs in its own process, as a shell runs it,
// bundled from source (the stdout handling lives in the bin itself).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulateExport } from '../simulate/simulate.js';
import { cliSandbox } from './cli-sandbox.test-helper.js';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';

useSlowTestTimeouts();

const { dir, run } = cliSandbox();
const bin = join(dir, 'bin', 'cli.mjs');
beforeAll(async () => {
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'package.json'), '{"version":"0.0.0-test"}'); // the bin reads its version from ../package.json
  await build({ entryPoints: [fileURLToPath(new URL('../cli.ts', import.meta.url))], bundle: true, platform: 'node', format: 'esm', outfile: bin, logLevel: 'silent' });
});

const EXPORT = [...simulateExport({ users: 2000, rollout: 50, seed: 11 })].join('\n') + '\n';
writeFileSync(join(dir, 'export.jsonl'), EXPORT);
writeFileSync(join(dir, 'export.jsonl.gz'), gzipSync(EXPORT));
const ARGS = ['--experiment', 'skill_tree_layout', '--expected-variant', 'tree', '--expected-variant', 'list', '--format', 'json'];

/** Runs a command (stdout a pipe unless given a file descriptor); resolves with its exit code and output. */
function spawnBin(command: string, args: string[], options: { stdout?: number; onStderr?: (text: string) => void } = {}) {
  const child = spawn(command, args, { cwd: dir, stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
    options.onStderr?.(stderr);
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const reference = await run(['analyze', 'export.jsonl', ...ARGS]);
const inputOf = (stdout: string) => JSON.parse(stdout).input;

describe('bucketry analyze: text encodings', () => {
  it('skips a UTF-8 byte order mark: the report is the one without it', async () => {
    writeFileSync(join(dir, 'bom.jsonl'), '\uFEFF' + EXPORT);
    const { code, stdout, stderr } = await run(['analyze', 'bom.jsonl', ...ARGS]);
    expect(stderr).toBe('');
    expect(code).toBe(reference.code);
    expect(inputOf(stdout).badLines.count).toBe(0);
    expect(stdout).toBe(reference.stdout);
  });

  it('exits 2 on UTF-16 with one line naming it and the conversion', async () => {
    writeFileSync(join(dir, 'utf16.jsonl'), Buffer.from('\uFEFF' + EXPORT, 'utf16le'));
    const { code, stdout, stderr } = await run(['analyze', 'utf16.jsonl', ...ARGS]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe('bucketry analyze: the input is UTF-16LE text (byte order mark FF FE), not UTF-8: convert it first, e.g. iconv -f UTF-16LE -t UTF-8 export.jsonl > export-utf8.jsonl\n');
  });
});

describe('bucketry analyze: pipes', () => {
  it('reads a named pipe, saying it waits until a program writes to it', async () => {
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    let writing: Promise<void> | undefined;
    const result = await spawnBin(process.execPath, [bin, 'analyze', 'fifo', ...ARGS], {
      onStderr: (stderr) => {
        // Written only once the bin said it waits: the notice comes while no program has the pipe open.
        if (writing === undefined && stderr.includes('waiting for a program to write to fifo')) {
          writing = open(join(dir, 'fifo'), 'w').then(async (pipe) => {
            await pipe.write(EXPORT);
            await pipe.close();
          });
        }
      },
    });
    await writing;
    expect(result.stderr).toBe('bucketry analyze: waiting for a program to write to fifo (a named pipe)\n');
    expect(result.code).toBe(reference.code);
    expect(result.stdout).toBe(reference.stdout);
  });

  it("reads a shell's process substitution, <(zcat export.jsonl.gz), and a pipe of gzip bytes", async () => {
    const script = `"${process.execPath}" "${bin}" analyze <(zcat export.jsonl.gz) ${ARGS.join(' ')} && "${process.execPath}" "${bin}" analyze <(cat export.jsonl.gz) ${ARGS.join(' ')}`;
    const result = await spawnBin('bash', ['-c', script]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(reference.code);
    expect(result.stdout).toBe(reference.stdout + reference.stdout);
  });
});

describe('bucketry analyze: a full device', () => {
  it('exits 2 with one line when the report cannot be written to stdout', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const result = await spawnBin(process.execPath, [bin, 'analyze', 'export.jsonl', ...ARGS], { stdout: full });
      expect(result).toEqual({ code: 2, stdout: '', stderr: 'bucketry: cannot write to standard output: no space left on the device\n' });
    } finally {
      closeSync(full);
    }
  });

  it('exits 2 with one line naming --out when the report cannot be written there', async () => {
    const result = await spawnBin(process.execPath, [bin, 'analyze', 'export.jsonl', ...ARGS, '--out', '/dev/full']);
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'bucketry analyze: --out /dev/full: cannot write the report (no space left on the device)\n' });
  });

  it('makes the folder of --out, and refuses one under a file before reading anything', async () => {
    const made = await run(['analyze', 'export.jsonl', ...ARGS, '--out', 'reports/new/report.json']);
    expect(made.code).toBe(reference.code);
    expect(made.stderr).toMatch(/^Decision: \w+ \(json report written to reports\/new\/report.json\)\n$/);
    const refused = await run(['analyze', 'export.jsonl', ...ARGS, '--out', 'export.jsonl/report.json']);
    expect(refused).toEqual({ code: 2, stdout: '', stderr: 'bucketry analyze: --out export.jsonl/report.json: the folder export.jsonl is a file, not a folder\n' });
  });
});
