// Reads the runnable parts of a guide: its ```sh blocks (commands after `$ `, each followed by the
// output it prints) and the files it asks the reader to create. docs/guides.test.ts runs them, so a
// guide whose command or output drifts from what the code does fails the tests.
//
// The forms, by the fence's info string:
//   ```sh                 commands, each `$ command` followed by its expected output (none: prints nothing)
//   ```sh server          one command that starts a server and keeps running; its output up to the
//                         line `listening on http://127.0.0.1:<port>` is the expected output
//   ```sh install         `$ pnpm add <packages>`: the packages the reader installs (checked against
//                         the workspace and linked into the scratch directory instead of downloaded)
//   ```js file=<path>     a file the reader creates (also ts, mjs, json, …)
// In expected output, `...` stands for any text within a line, and a line that is just `...` for any
// number of lines. A command continues on the next line when the line ends with a backslash.

/** Thrown for a guide that does not follow the forms above; names the file's line. */
export class GuideFormatError extends Error {
  constructor(line, message) {
    super(`line ${line}: ${message}`);
    this.name = 'GuideFormatError';
  }
}

/** The commands of a ```sh block: `$ ` lines (with their continuations) and the output after each. */
function readCommands(lines, firstLine) {
  const commands = [];
  let i = 0;
  if (lines.length === 0 || !lines[0].startsWith('$ ')) {
    throw new GuideFormatError(firstLine, 'a sh block starts with a command, written `$ command`');
  }
  while (i < lines.length) {
    const line = firstLine + i;
    let command = lines[i].slice(2);
    while (command.endsWith('\\') && i + 1 < lines.length) {
      i++;
      command += `\n${lines[i]}`;
    }
    i++;
    const expected = [];
    while (i < lines.length && !lines[i].startsWith('$ ')) expected.push(lines[i++]);
    while (expected.length > 0 && expected.at(-1).trim() === '') expected.pop();
    commands.push({ command, expected, line });
  }
  return commands;
}

/**
 * The runnable blocks of a markdown text, in order: `{ kind: 'commands' | 'server' | 'install',
 * line, commands }` and `{ kind: 'file', line, path, content }`. Other blocks are left out.
 */
export function parseGuide(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})\s*(\S*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, fence, language, rest] = open;
    const start = i + 1;
    const body = [];
    for (i++; i < lines.length && !lines[i].startsWith(fence); i++) body.push(lines[i]);
    if (i === lines.length) throw new GuideFormatError(start, `the ${fence} block is never closed`);
    const words = rest.split(/\s+/).filter(Boolean);
    const file = words.find((word) => word.startsWith('file='));
    if (file !== undefined) {
      blocks.push({ kind: 'file', line: start, path: file.slice('file='.length), content: `${body.join('\n')}\n` });
      continue;
    }
    if (['bash', 'shell', 'console', 'zsh', 'shell-session'].includes(language)) {
      throw new GuideFormatError(start, `write commands in a sh block (not ${language}), so that the tests run them`);
    }
    if (language !== 'sh') continue;
    const kind = words[0] === 'server' ? 'server' : words[0] === 'install' ? 'install' : 'commands';
    if (words.length > (kind === 'commands' ? 0 : 1)) throw new GuideFormatError(start, `unknown sh block form "${rest}": use sh, sh server, sh install or <language> file=<path>`);
    const commands = readCommands(body, start + 1);
    if (kind !== 'commands' && commands.length !== 1) throw new GuideFormatError(start, `a sh ${kind} block holds exactly one command, got ${commands.length}`);
    blocks.push({ kind, line: start, commands });
  }
  return blocks;
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A regular expression for one expected line: `...` is any text, the rest literal. */
function linePattern(expected) {
  return new RegExp(`^${expected.split('...').map(escapeRegExp).join('.*')}$`);
}

/**
 * Whether `actual` output lines match the `expected` lines: the same lines, except that `...`
 * within a line matches any text and a line of just `...` any number of lines. Trailing
 * whitespace and trailing blank lines are ignored on both sides.
 */
export function outputMatches(expected, actual) {
  const clean = (lines) => {
    const out = lines.map((line) => line.trimEnd());
    while (out.length > 0 && out.at(-1) === '') out.pop();
    return out;
  };
  const want = clean(expected);
  const got = clean(actual);
  const patterns = want.map((line) => (line === '...' ? null : linePattern(line)));
  // matches[i][j]: want[i..] matches got[j..]
  const memo = new Map();
  const match = (i, j) => {
    const key = i * (got.length + 1) + j;
    if (memo.has(key)) return memo.get(key);
    let result;
    if (i === want.length) result = j === got.length;
    else if (patterns[i] === null) result = match(i + 1, j) || (j < got.length && match(i, j + 1));
    else result = j < got.length && patterns[i].test(got[j]) && match(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}
