import { describe, expect, it } from 'vitest';
import { runQuietly } from './demo-build.mjs';

const logStream = () => {
  const writes: string[] = [];
  return { writes, stream: { isTTY: false, write: (text: string) => writes.push(text) } };
};
/** A command that prints 150 lines, some on stderr, and exits with `code`. */
const noisy = (code: number) => ({
  command: process.execPath,
  args: ['-e', `for (let i = 1; i <= 150; i++) (i % 50 ? console.log : console.error)('line ' + i); process.exit(${code})`],
  cwd: process.cwd(),
  doing: 'Building',
  done: 'Built',
});

describe("the demo's quiet build", () => {
  it('shows one line while it runs and one when it is done, none of the output', async () => {
    const { writes, stream } = logStream();
    await runQuietly({ ...noisy(0), stream });
    expect(writes).toHaveLength(2);
    expect(writes[0]).toBe('Building …\n');
    expect(writes[1]).toMatch(/^Built in \d+ s\.\n\n$/);
  }, 60_000);

  it('fails with the whole output, stdout and stderr, and the exit code', async () => {
    const { writes, stream } = logStream();
    const error: Error = await runQuietly({ ...noisy(2), stream }).then(() => expect.fail('it should reject'), (e: Error) => e);
    expect(error.message).toContain('failed (exit 2); its output:');
    for (const n of [1, 50, 100, 150]) expect(error.message).toContain(`line ${n}\n`);
    expect(writes).toEqual(['Building …\n']);
  }, 60_000);
});
