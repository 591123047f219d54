// The CLI run in-process against a fresh folder: its exit code, stdout and stderr.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll } from 'vitest';
import { runCli } from './main.js';

/** A folder for one test file (removed after it), the CLI run there, and a writer of export files into it. */
export function cliSandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'bucketry-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(args: string[], stdin: string | Buffer = '') {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
      stdout: { write: (text: string) => ((stdout += text), true) },
      stderr: { write: (text: string) => ((stderr += text), true), isTTY: false },
      stdin: Readable.from([Buffer.from(stdin)]),
      cwd: dir,
    });
    return { code, stdout, stderr };
  }

  const write = (name: string, lines: Iterable<string>) => {
    writeFileSync(join(dir, name), [...lines].join('\n') + '\n');
    return name;
  };
  return { dir, run, write };
}
