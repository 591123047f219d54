import { describe, expect, it } from 'vitest';
import { GuideFormatError, outputMatches, parseGuide } from './markdown-commands.mjs';

const guide = (...lines: string[]) => lines.join('\n');

describe('parseGuide', () => {
  it('reads commands, their continuations and their expected output, with line numbers', () => {
    const blocks = parseGuide(
      guide(
        '# Title',
        '',
        '```sh',
        '$ curl -s http://127.0.0.1:3000/api/healthz',
        '{"status":"ok"}',
        '',
        '$ node script.mjs --users 10 \\',
        '    --seed 7',
        'line one',
        'line two',
        '$ true',
        '```',
      ),
    );
    expect(blocks).toEqual([
      {
        kind: 'commands',
        line: 3,
        commands: [
          { command: 'curl -s http://127.0.0.1:3000/api/healthz', expected: ['{"status":"ok"}'], line: 4 },
          { command: 'node script.mjs --users 10 \\\n    --seed 7', expected: ['line one', 'line two'], line: 7 },
          { command: 'true', expected: [], line: 11 },
        ],
      },
    ]);
  });

  it('reads server, install and file blocks, and leaves other blocks out', () => {
    const blocks = parseGuide(
      guide(
        '```sh install',
        '$ pnpm add @bucketry/core',
        '```',
        '```js file=server.mjs',
        "import '@bucketry/core';",
        '```',
        '```ts',
        'const notRun = true;',
        '```',
        '```sh server',
        '$ node server.mjs',
        'listening on http://127.0.0.1:3000',
        '```',
      ),
    );
    expect(blocks.map((b) => b.kind)).toEqual(['install', 'file', 'server']);
    expect(blocks[1]).toEqual({ kind: 'file', line: 4, path: 'server.mjs', content: "import '@bucketry/core';\n" });
    expect(blocks[2]!.commands).toEqual([{ command: 'node server.mjs', expected: ['listening on http://127.0.0.1:3000'], line: 11 }]);
  });

  it.each([
    [guide('```sh', 'curl -s http://127.0.0.1:3000', '```'), 'line 2: a sh block starts with a command, written `$ command`'],
    [guide('', '```sh', '$ true'), 'line 2: the ``` block is never closed'],
    [guide('```sh server', '$ node a.mjs', '$ node b.mjs', '```'), 'line 1: a sh server block holds exactly one command, got 2'],
    [guide('```sh watch', '$ true', '```'), 'line 1: unknown sh block form "watch"'],
    [guide('```bash', '$ true', '```'), 'line 1: write commands in a sh block (not bash), so that the tests run them'],
  ])('refuses a guide that does not follow the forms: %j', (markdown, message) => {
    expect(() => parseGuide(markdown)).toThrow(GuideFormatError);
    expect(() => parseGuide(markdown)).toThrow(message);
  });
});

describe('outputMatches', () => {
  it('matches the same lines, ignoring trailing spaces and blank lines', () => {
    expect(outputMatches(['a', 'b'], ['a  ', 'b', '', ''])).toBe(true);
    expect(outputMatches([], [''])).toBe(true);
    expect(outputMatches(['a', 'b'], ['a', 'c'])).toBe(false);
    expect(outputMatches(['a'], ['a', 'b'])).toBe(false);
    expect(outputMatches([], ['unexpected'])).toBe(false);
  });

  it('reads ... within a line as any text, and nothing else as a pattern', () => {
    expect(outputMatches(['listening (pid ..., rollout 10)'], ['listening (pid 8614, rollout 10)'])).toBe(true);
    expect(outputMatches(['listening (pid ..., rollout 10)'], ['listening (pid 8614, rollout 50)'])).toBe(false);
    expect(outputMatches(['p = 0.5 (a+b)*'], ['p = 0.5 (a+b)*'])).toBe(true);
    expect(outputMatches(['p = 0.5'], ['p = 0x5'])).toBe(false);
  });

  it('reads a line of ... as any number of lines, zero included', () => {
    expect(outputMatches(['first', '...', 'last'], ['first', 'x', 'y', 'last'])).toBe(true);
    expect(outputMatches(['first', '...', 'last'], ['first', 'last'])).toBe(true);
    expect(outputMatches(['...', 'Decision: PROCEED', '...'], ['a', 'Decision: PROCEED', 'b'])).toBe(true);
    expect(outputMatches(['...', 'Decision: PROCEED', '...'], ['a', 'Decision: HOLD', 'b'])).toBe(false);
    expect(outputMatches(['first', '...'], ['second'])).toBe(false);
  });
});
